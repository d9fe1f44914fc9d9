package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.AccessKey;
import dev.gatekey.identity.persistence.AccessKeyEntity;
import dev.gatekey.identity.persistence.AccessKeyRepository;
import dev.gatekey.identity.persistence.AccountEntity;
import dev.gatekey.identity.persistence.CredentialReportEntity;
import dev.gatekey.identity.persistence.CredentialReportRepository;
import dev.gatekey.identity.persistence.LoginProfileEntity;
import dev.gatekey.identity.persistence.LoginProfileRepository;
import dev.gatekey.identity.persistence.PasswordPolicyRepository;
import dev.gatekey.identity.persistence.UserEntity;
import dev.gatekey.identity.persistence.UserRepository;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * AWS GenerateCredentialReport and GetCredentialReport (IAM User Guide, "Getting credential
 * reports"): a report is generated when none exists or the last one is older than four hours,
 * otherwise the existing one is kept ({@code COMPLETE}); a report older than four hours is
 * {@code ReportExpired}. Generation is quick here, so it is done within the request that starts
 * it; the first answer is still AWS's {@code STARTED}, which scripts written for AWS expect.
 */
@ApplicationScoped
public class CredentialReports {
    /** AWS: "If the existing report is older than four hours, IAM generates a new one". */
    public static final Duration VALIDITY = Duration.ofHours(4);
    static final String STARTED_DESCRIPTION = "No report exists. Starting a new report generation task";

    /** GenerateCredentialReport's answer: {@code STARTED} or {@code COMPLETE}, with a description when started. */
    public record Generation(String state, Optional<String> description) {
    }

    /** GetCredentialReport's answer: the CSV and when it was generated. */
    public record Report(byte[] content, Instant generatedTime) {
        public static final String FORMAT = "text/csv";
    }

    @Inject
    Principals principals;

    @Inject
    CredentialReportRepository reports;

    @Inject
    UserRepository users;

    @Inject
    LoginProfileRepository loginProfiles;

    @Inject
    AccessKeyRepository accessKeys;

    @Inject
    PasswordPolicyRepository passwordPolicies;

    @Inject
    AccountSummarySources sources;

    /** GenerateCredentialReport, authorized as {@code iam:GenerateCredentialReport} on {@code *}. */
    @Transactional
    public Generation generate(Caller caller) {
        String accountId = Principals.accountOf(caller);
        principals.authorize(caller, "iam:GenerateCredentialReport", "*");
        // one generation at a time per account: the account row is the lock
        AccountEntity account = reports.getEntityManager().find(AccountEntity.class, accountId,
                LockModeType.PESSIMISTIC_WRITE);
        if (account == null) {
            throw GatekeyException.noSuchEntity("The account " + accountId + " cannot be found.");
        }
        Instant now = Instant.now();
        CredentialReportEntity existing = reports.findByIdOptional(accountId).orElse(null);
        if (existing != null && !expired(existing, now)) {
            return new Generation("COMPLETE", Optional.empty());
        }
        byte[] csv = CredentialReportCsv.write(rows(account)).getBytes(StandardCharsets.UTF_8);
        if (existing == null) {
            existing = new CredentialReportEntity();
            existing.accountId = accountId;
            existing.generatedAt = now.truncatedTo(ChronoUnit.SECONDS);
            existing.content = csv;
            reports.persist(existing);
        } else {
            existing.generatedAt = now.truncatedTo(ChronoUnit.SECONDS);
            existing.content = csv;
        }
        return new Generation("STARTED", Optional.of(STARTED_DESCRIPTION));
    }

    /** GetCredentialReport, authorized as {@code iam:GetCredentialReport} on {@code *}. */
    @Transactional
    public Report get(Caller caller) {
        String accountId = Principals.accountOf(caller);
        principals.authorize(caller, "iam:GetCredentialReport", "*");
        CredentialReportEntity report = reports.findByIdOptional(accountId).orElseThrow(() -> new GatekeyException(
                "ReportNotPresent", ErrorKind.NOT_FOUND, "Credential report not present. To generate a credential"
                        + " report, use GenerateCredentialReport."));
        if (expired(report, Instant.now())) {
            throw new GatekeyException("ReportExpired", ErrorKind.NOT_FOUND, "The credential report has expired."
                    + " To generate a new credential report, use GenerateCredentialReport.");
        }
        return new Report(report.content.clone(), report.generatedAt);
    }

    private static boolean expired(CredentialReportEntity report, Instant now) {
        return !report.generatedAt.plus(VALIDITY).isAfter(now);
    }

    /** The root user's row, then the users by name. */
    private List<CredentialReportCsv.Row> rows(AccountEntity account) {
        String accountId = account.accountId;
        AccountMfaSummary mfa = sources.mfaSummary(accountId);
        Map<String, List<CredentialReportCsv.Key>> keysByOwner = new HashMap<>();
        for (AccessKeyEntity key : accessKeys.list("accountId = ?1 order by createdAt, accessKeyId", accountId)) {
            keysByOwner.computeIfAbsent(Objects.toString(key.userId, ""), k -> new ArrayList<>()).add(
                    new CredentialReportCsv.Key(AccessKey.ACTIVE.equals(key.status), key.createdAt,
                            Optional.ofNullable(key.lastUsedAt), Optional.ofNullable(key.lastUsedRegion),
                            Optional.ofNullable(key.lastUsedService)));
        }
        Optional<Integer> maxPasswordAge = passwordPolicies.findByIdOptional(accountId)
                .flatMap(p -> Optional.ofNullable(p.maxPasswordAge));
        List<CredentialReportCsv.Row> rows = new ArrayList<>();
        rows.add(CredentialReportCsv.Row.root(IamNames.rootArn(accountId), account.createdAt,
                Optional.ofNullable(account.rootPasswordLastUsed),
                mfa.accountMfaEnabled(), keysByOwner.getOrDefault("", List.of())));
        for (UserEntity user : users.list("accountId = ?1 order by lower(userName)", accountId)) {
            Optional<CredentialReportCsv.Password> password = loginProfiles.findByIdOptional(user.userId)
                    .map(p -> password(p, maxPasswordAge));
            rows.add(CredentialReportCsv.Row.user(user.userName, user.arn, user.createdAt, password,
                    mfa.mfaActive(user.userName), keysByOwner.getOrDefault(user.userId, List.of())));
        }
        return rows;
    }

    private static CredentialReportCsv.Password password(LoginProfileEntity profile, Optional<Integer> maxAgeDays) {
        Instant changed = profile.passwordLastChanged != null ? profile.passwordLastChanged : profile.createdAt;
        return new CredentialReportCsv.Password(changed, Optional.ofNullable(profile.passwordLastUsed),
                maxAgeDays.map(days -> changed.plus(Duration.ofDays(days))));
    }
}
