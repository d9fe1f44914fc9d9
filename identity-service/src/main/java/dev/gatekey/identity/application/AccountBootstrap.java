package dev.gatekey.identity.application;

import dev.gatekey.identity.config.BootstrapConfig;
import dev.gatekey.identity.domain.Argon2idPasswordHasher;
import dev.gatekey.identity.domain.PasswordPolicy;
import dev.gatekey.identity.domain.PasswordPolicyViolationException;
import dev.gatekey.identity.persistence.AccountEntity;
import dev.gatekey.identity.persistence.AccountRepository;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Creates the configured account with its root user at start-up, once: an existing account is
 * never changed, so restarting with another root password does not overwrite the stored one.
 */
@ApplicationScoped
public class AccountBootstrap {
    private static final Logger LOG = Logger.getLogger(AccountBootstrap.class);
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    /** What a bootstrap did. */
    public enum Outcome {
        CREATED, EXISTS
    }

    /** The account to bootstrap; {@link #toString()} leaves the password out. */
    public record Settings(String accountId, String accountName, String rootEmail, String rootPassword) {
        @Override
        public String toString() {
            return "Settings[accountId=" + accountId + ", accountName=" + accountName + "]";
        }
    }

    @Inject
    BootstrapConfig config;

    @Inject
    AccountRepository accounts;

    @Inject
    Argon2idPasswordHasher hasher;

    @Inject
    PasswordPolicy passwordPolicy;

    @Inject
    AccessKeys accessKeys;

    void onStart(@Observes StartupEvent event) {
        config.accountId().ifPresent(accountId -> {
            bootstrap(new Settings(accountId, config.accountName().orElse(null), config.rootEmail().orElse(null),
                    config.rootPassword().orElse(null)));
            config.rootAccessKeyId().filter(id -> !id.isBlank()).ifPresent(id -> {
                if (accessKeys.importRootKey(accountId, id, config.rootSecretAccessKey().orElse(null))) {
                    LOG.infof("Imported root access key %s of account %s", id, accountId);
                }
            });
        });
    }

    /**
     * Creates the account and its root user unless the account exists.
     *
     * @throws IllegalStateException (which stops start-up) when the settings cannot create it
     */
    @Transactional
    public Outcome bootstrap(Settings settings) {
        String accountId = settings.accountId();
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalStateException("gatekey.bootstrap.account-id (GATEKEY_ACCOUNT_ID) must be 12 digits");
        }
        if (accounts.findByIdOptional(accountId).isPresent()) {
            LOG.infof("Account %s exists", accountId);
            return Outcome.EXISTS;
        }
        String email = settings.rootEmail();
        if (email == null || email.isBlank() || email.length() > 320 || !EMAIL.matcher(email).matches()) {
            throw new IllegalStateException("Cannot bootstrap account " + accountId
                    + ": gatekey.bootstrap.root-email (GATEKEY_ROOT_EMAIL) must be set to an e-mail address");
        }
        if (settings.rootPassword() == null || settings.rootPassword().isEmpty()) {
            throw new IllegalStateException("Cannot bootstrap account " + accountId
                    + ": gatekey.bootstrap.root-password (GATEKEY_ROOT_PASSWORD) must be set");
        }
        String accountName = settings.accountName() == null || settings.accountName().isBlank()
                ? accountId : settings.accountName();
        try {
            passwordPolicy.check(settings.rootPassword(), List.of(accountName, email, accountId));
        } catch (PasswordPolicyViolationException e) {
            throw new IllegalStateException("Cannot bootstrap account " + accountId
                    + ": gatekey.bootstrap.root-password (GATEKEY_ROOT_PASSWORD) is too weak: " + e.getMessage());
        }
        if (accounts.findByRootEmail(email).isPresent()) {
            throw new IllegalStateException("Cannot bootstrap account " + accountId
                    + ": the root e-mail is already used by another account");
        }
        AccountEntity account = new AccountEntity();
        account.accountId = accountId;
        account.accountName = accountName;
        account.rootEmail = email;
        account.rootPasswordHash = hasher.hash(settings.rootPassword());
        account.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
        accounts.persist(account);
        LOG.infof("Bootstrapped account %s", accountId);
        return Outcome.CREATED;
    }
}
