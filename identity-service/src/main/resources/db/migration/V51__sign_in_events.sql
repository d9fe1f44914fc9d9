-- identity-service schema, version 51: sign-in is recorded. Every console-style sign-in
-- attempt (AWS CloudTrail's ConsoleLogin event) with whether MFA was used and its outcome;
-- the last successful sign-in of users and root feeds the credential report's
-- password_last_used. No secrets: no passwords, codes or tokens.
CREATE TABLE sign_in_events (
    id              BIGSERIAL    PRIMARY KEY,
    account_id      VARCHAR(12)  NOT NULL,
    user_name       VARCHAR(64)  NOT NULL,
    principal_arn   VARCHAR(2048),
    event_name      VARCHAR(32)  NOT NULL,
    event_time      TIMESTAMPTZ  NOT NULL,
    mfa_used        BOOLEAN      NOT NULL,
    outcome         VARCHAR(8)   NOT NULL CHECK (outcome IN ('Success', 'Failure')),
    error_code      VARCHAR(64)
);
CREATE INDEX sign_in_events_account_time ON sign_in_events (account_id, event_time);

ALTER TABLE login_profiles ADD COLUMN password_last_used TIMESTAMPTZ;
ALTER TABLE accounts ADD COLUMN root_password_last_used TIMESTAMPTZ;
