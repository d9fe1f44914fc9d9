-- identity-service schema, version 2: access keys, STS session credentials, groups and
-- memberships, user tags, and the account password policy.

-- Long-term access keys (AKIA...). user_id is NULL for the root user's keys. The secret is
-- AES-256-GCM encrypted under secret_key_id (the key ring's id), with the access key id as
-- additional authenticated data; the verifier decrypts it to compute signatures.
CREATE TABLE access_keys (
    access_key_id      VARCHAR(20)  PRIMARY KEY,
    account_id         VARCHAR(12)  NOT NULL REFERENCES accounts (account_id),
    user_id            VARCHAR(32)  REFERENCES users (user_id),
    status             VARCHAR(8)   NOT NULL CHECK (status IN ('Active', 'Inactive')),
    secret_key_id      VARCHAR(64)  NOT NULL,
    secret_ciphertext  BYTEA        NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL,
    last_used_at       TIMESTAMPTZ,
    last_used_service  VARCHAR(32),
    last_used_region   VARCHAR(64)
);
CREATE INDEX access_keys_user ON access_keys (account_id, user_id);

-- STS session credentials (ASIA...) from GetSessionToken. The session token is kept only as
-- its SHA-256; the secret is encrypted like an access key's.
CREATE TABLE session_credentials (
    access_key_id          VARCHAR(20)  PRIMARY KEY,
    account_id             VARCHAR(12)  NOT NULL REFERENCES accounts (account_id),
    user_id                VARCHAR(32)  REFERENCES users (user_id) ON DELETE CASCADE,
    source_access_key_id   VARCHAR(20)  NOT NULL,
    secret_key_id          VARCHAR(64)  NOT NULL,
    secret_ciphertext      BYTEA        NOT NULL,
    session_token_sha256   BYTEA        NOT NULL,
    multi_factor_auth      BOOLEAN      NOT NULL,
    mfa_authenticated_at   TIMESTAMPTZ,
    created_at             TIMESTAMPTZ  NOT NULL,
    expires_at             TIMESTAMPTZ  NOT NULL
);
CREATE INDEX session_credentials_expiry ON session_credentials (expires_at);

-- IAM groups; names unique per account ignoring case, as users.
CREATE TABLE groups (
    group_id    VARCHAR(32)   PRIMARY KEY,
    account_id  VARCHAR(12)   NOT NULL REFERENCES accounts (account_id),
    group_name  VARCHAR(128)  NOT NULL,
    path        VARCHAR(512)  NOT NULL DEFAULT '/',
    arn         VARCHAR(2048) NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL
);
CREATE UNIQUE INDEX groups_account_name_key ON groups (account_id, lower(group_name));

CREATE TABLE group_memberships (
    group_id  VARCHAR(32) NOT NULL REFERENCES groups (group_id),
    user_id   VARCHAR(32) NOT NULL REFERENCES users (user_id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_memberships_user ON group_memberships (user_id);

-- Tags of IAM users (at most 50; keys unique per user ignoring case, as AWS).
CREATE TABLE user_tags (
    user_id    VARCHAR(32)  NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    tag_key    VARCHAR(128) NOT NULL,
    tag_value  VARCHAR(256) NOT NULL,
    PRIMARY KEY (user_id, tag_key)
);
CREATE UNIQUE INDEX user_tags_key_ci ON user_tags (user_id, lower(tag_key));

-- The account password policy (AWS UpdateAccountPasswordPolicy); no row = AWS's default.
CREATE TABLE account_password_policies (
    account_id                      VARCHAR(12) PRIMARY KEY REFERENCES accounts (account_id),
    minimum_password_length         INTEGER     NOT NULL,
    require_symbols                 BOOLEAN     NOT NULL,
    require_numbers                 BOOLEAN     NOT NULL,
    require_uppercase_characters    BOOLEAN     NOT NULL,
    require_lowercase_characters    BOOLEAN     NOT NULL,
    allow_users_to_change_password  BOOLEAN     NOT NULL,
    max_password_age                INTEGER,
    password_reuse_prevention       INTEGER,
    hard_expiry                     BOOLEAN     NOT NULL
);

-- When a user's password was last set (for the credential report and password age).
ALTER TABLE login_profiles ADD COLUMN password_last_changed TIMESTAMPTZ;
