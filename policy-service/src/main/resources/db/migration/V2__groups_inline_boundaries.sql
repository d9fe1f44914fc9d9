-- policy-service schema v2: group attachments, inline user and group policies, permissions
-- boundaries, the mirror of group memberships (owned by identity-service), policy tags, and
-- the store's generation number that every replica checks per request (cache coherence).

-- Principal paths as last given by identity-service (for ListEntitiesForPolicy's PathPrefix).
ALTER TABLE user_policy_attachment ADD COLUMN user_path varchar(512) NOT NULL DEFAULT '/';

CREATE TABLE group_policy_attachment (
    account_id     varchar(12)  NOT NULL,
    group_name     varchar(128) NOT NULL,                      -- as given
    group_name_key varchar(128) NOT NULL,                      -- lower(group_name)
    group_path     varchar(512) NOT NULL DEFAULT '/',
    policy_id      varchar(32)  NOT NULL REFERENCES managed_policy (policy_id) ON DELETE RESTRICT,
    attached_at    timestamptz  NOT NULL,
    PRIMARY KEY (account_id, group_name_key, policy_id)
);
CREATE INDEX group_policy_attachment_policy_idx ON group_policy_attachment (policy_id);

-- Inline policies: principal_type 'user' or 'group'; names unique per principal ignoring case.
CREATE TABLE inline_policy (
    inline_id       bigserial    PRIMARY KEY,                  -- changes on every Put (new row)
    account_id      varchar(12)  NOT NULL,
    principal_type  varchar(8)   NOT NULL CHECK (principal_type IN ('user', 'group')),
    principal_name  varchar(128) NOT NULL,
    principal_key   varchar(128) NOT NULL,                     -- lower(principal_name)
    policy_name     varchar(128) NOT NULL,
    document        text         NOT NULL,                     -- exactly as written
    updated_at      timestamptz  NOT NULL
);
CREATE UNIQUE INDEX inline_policy_uq ON inline_policy (account_id, principal_type, principal_key, lower(policy_name));

CREATE TABLE user_permissions_boundary (
    account_id    varchar(12)  NOT NULL,
    user_name     varchar(64)  NOT NULL,
    user_name_key varchar(64)  NOT NULL,
    user_path     varchar(512) NOT NULL DEFAULT '/',
    policy_id     varchar(32)  NOT NULL REFERENCES managed_policy (policy_id) ON DELETE RESTRICT,
    PRIMARY KEY (account_id, user_name_key)
);
CREATE INDEX user_permissions_boundary_policy_idx ON user_permissions_boundary (policy_id);

-- The mirror of identity-service's group memberships (SetUserGroups replaces a user's rows).
CREATE TABLE user_group_membership (
    account_id     varchar(12)  NOT NULL,
    user_name      varchar(64)  NOT NULL,
    user_name_key  varchar(64)  NOT NULL,
    group_name     varchar(128) NOT NULL,
    group_name_key varchar(128) NOT NULL,
    PRIMARY KEY (account_id, user_name_key, group_name_key)
);
CREATE INDEX user_group_membership_group_idx ON user_group_membership (account_id, group_name_key);

CREATE TABLE policy_tag (
    policy_id varchar(32)  NOT NULL REFERENCES managed_policy (policy_id) ON DELETE CASCADE,
    tag_key   varchar(128) NOT NULL,
    tag_value varchar(256) NOT NULL,
    PRIMARY KEY (policy_id, tag_key)
);
CREATE UNIQUE INDEX policy_tag_key_ci_uq ON policy_tag (policy_id, lower(tag_key));

-- One row per account: bumped in the same transaction as every change that can alter a
-- decision in the account. Each replica reads it per request and reuses its compiled policy
-- set only when the number is unchanged, so no replica ever decides on stale policies.
CREATE TABLE policy_generation (
    account_id varchar(12) PRIMARY KEY,
    generation bigint      NOT NULL
);
