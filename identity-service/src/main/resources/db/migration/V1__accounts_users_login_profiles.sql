-- identity-service schema, version 1: accounts with their root user, IAM users, passwords.
-- Later versions add groups, memberships, access keys, sessions and account password
-- policies as their own tables referencing accounts / users, so these stay as they are.

-- An AWS account and its root user (who signs in with root_email).
CREATE TABLE accounts (
    account_id          VARCHAR(12)  PRIMARY KEY CHECK (account_id ~ '^[0-9]{12}$'),
    account_name        VARCHAR(255) NOT NULL,
    root_email          VARCHAR(320) NOT NULL,
    -- Argon2id PHC string ($argon2id$v=19$m=..,t=..,p=..$salt$hash); parameters travel with it.
    root_password_hash  VARCHAR(255) NOT NULL,
    created_at          TIMESTAMPTZ  NOT NULL
);
-- Root users sign in by e-mail, which AWS treats case-insensitively.
CREATE UNIQUE INDEX accounts_root_email_key ON accounts (lower(root_email));

-- IAM users. user_id is the stable unique id (AIDA...); names may be reused after deletion.
CREATE TABLE users (
    user_id     VARCHAR(32)   PRIMARY KEY,
    account_id  VARCHAR(12)   NOT NULL REFERENCES accounts (account_id),
    user_name   VARCHAR(64)   NOT NULL,
    path        VARCHAR(512)  NOT NULL DEFAULT '/',
    arn         VARCHAR(2048) NOT NULL,
    created_at  TIMESTAMPTZ   NOT NULL
);
-- AWS: user names are unique within an account, ignoring case.
CREATE UNIQUE INDEX users_account_name_key ON users (account_id, lower(user_name));

-- A user's console password (AWS LoginProfile); at most one per user.
CREATE TABLE login_profiles (
    user_id                  VARCHAR(32)  PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    password_hash            VARCHAR(255) NOT NULL,
    password_reset_required  BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at               TIMESTAMPTZ  NOT NULL
);
