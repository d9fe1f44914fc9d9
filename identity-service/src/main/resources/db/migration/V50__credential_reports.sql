-- identity-service schema, version 50: the account's credential report (AWS
-- GenerateCredentialReport / GetCredentialReport). One report per account, replaced when a new
-- one is generated after the previous one is four hours old. The CSV holds no secrets (dates,
-- flags, ARNs).
CREATE TABLE credential_reports (
    account_id    VARCHAR(12) PRIMARY KEY REFERENCES accounts (account_id),
    generated_at  TIMESTAMPTZ NOT NULL,
    content       BYTEA       NOT NULL
);
