package dev.gatekey.identity.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.identity.domain.Argon2idPasswordHasher;
import dev.gatekey.identity.persistence.AccountEntity;
import dev.gatekey.identity.persistence.AccountRepository;
import dev.gatekey.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AccountBootstrapTest {
    @Inject
    AccountBootstrap bootstrap;

    @Inject
    AccountRepository accounts;

    @Inject
    Argon2idPasswordHasher hasher;

    private AccountEntity account(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AccountEntity a = accounts.findById(id);
            if (a != null) {
                accounts.getEntityManager().detach(a);
            }
            return a;
        });
    }

    @Test
    void theConfiguredAccountWasBootstrappedAtStartAndIsNeverOverwritten() {
        AccountEntity before = account("123456789012");
        assertEquals("root@example.com", before.rootEmail);
        assertEquals("example-corp", before.accountName);
        assertTrue(before.rootPasswordHash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        assertTrue(hasher.verify("Root-Passw0rd-For-Tests", before.rootPasswordHash));

        var restart = new AccountBootstrap.Settings("123456789012", "renamed", "other@example.com", "Another-Passw0rd!");
        assertEquals(AccountBootstrap.Outcome.EXISTS, bootstrap.bootstrap(restart));
        assertEquals(AccountBootstrap.Outcome.EXISTS, bootstrap.bootstrap(restart));

        AccountEntity after = account("123456789012");
        assertEquals(before.rootPasswordHash, after.rootPasswordHash);
        assertEquals("root@example.com", after.rootEmail);
        assertEquals("example-corp", after.accountName);
        assertFalse(hasher.verify("Another-Passw0rd!", after.rootPasswordHash));
    }

    @Test
    void aNewAccountIsCreatedOnce() {
        var settings = new AccountBootstrap.Settings("210987654321", null, "ops@example.org", "Ops-Passw0rd-1");
        assertEquals(AccountBootstrap.Outcome.CREATED, bootstrap.bootstrap(settings));
        String hash = account("210987654321").rootPasswordHash;
        assertEquals("210987654321", account("210987654321").accountName, "the account id names it by default");
        assertEquals(AccountBootstrap.Outcome.EXISTS, bootstrap.bootstrap(settings));
        assertEquals(hash, account("210987654321").rootPasswordHash);
    }

    @Test
    void missingOrWeakRootCredentialsStopTheBootstrapWithoutRevealingThePassword() {
        IllegalStateException noEmail = assertThrows(IllegalStateException.class, () -> bootstrap.bootstrap(
                new AccountBootstrap.Settings("310987654321", null, null, "Ops-Passw0rd-1")));
        assertTrue(noEmail.getMessage().contains("GATEKEY_ROOT_EMAIL"), noEmail.getMessage());
        IllegalStateException noPassword = assertThrows(IllegalStateException.class, () -> bootstrap.bootstrap(
                new AccountBootstrap.Settings("310987654321", null, "a@example.org", null)));
        assertTrue(noPassword.getMessage().contains("GATEKEY_ROOT_PASSWORD"), noPassword.getMessage());
        IllegalStateException weak = assertThrows(IllegalStateException.class, () -> bootstrap.bootstrap(
                new AccountBootstrap.Settings("310987654321", null, "a@example.org", "password")));
        assertTrue(weak.getMessage().contains("too weak"), weak.getMessage());
        assertFalse(weak.getMessage().contains("password\"") || weak.getMessage().endsWith("password"));
        assertThrows(IllegalStateException.class, () -> bootstrap.bootstrap(
                new AccountBootstrap.Settings("31098765432", null, "a@example.org", "Ops-Passw0rd-1")));
        assertEquals(null, account("310987654321"));
        // The same root e-mail cannot bootstrap a second account.
        assertThrows(IllegalStateException.class, () -> bootstrap.bootstrap(
                new AccountBootstrap.Settings("410987654321", null, "ROOT@example.com", "Ops-Passw0rd-1")));
    }
}
