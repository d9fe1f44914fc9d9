package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.Argon2idPasswordHasher;
import dev.gatekey.identity.domain.SignInFailedException;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Console-style sign-in: the password first, then (when given) the MFA code, then a session
 * token carrying the MFA context. No transaction is held while mfa-device-service answers.
 */
@ApplicationScoped
public class SignIn {
    private static final Logger LOG = Logger.getLogger(SignIn.class);

    /** What a sign-in presents. Exactly one of {@code rootEmail} and {@code userName} is set. */
    public record Attempt(String rootEmail, String accountId, String userName, String password,
            String mfaSerialNumber, String mfaAuthenticationCode) {
        @Override
        public String toString() {
            return "Attempt[accountId=" + accountId + ", userName=" + userName + "]";
        }
    }

    /** A successful sign-in. */
    public record Session(Caller caller, SessionTokens.IssuedToken token) {
    }

    @Inject
    SignInCredentials credentials;

    @Inject
    Argon2idPasswordHasher hasher;

    @Inject
    TotpVerifier totp;

    @Inject
    SessionTokens tokens;

    @Inject
    SignInEvents events;

    public Session signIn(Attempt attempt) {
        boolean root = attempt.rootEmail() != null;
        if (root == (attempt.userName() != null)) {
            throw GatekeyException.invalidInput("Exactly one of root_user and iam_user must be given.");
        }
        boolean hasSerial = !isEmpty(attempt.mfaSerialNumber());
        boolean hasCode = !isEmpty(attempt.mfaAuthenticationCode());
        if (hasSerial != hasCode) {
            throw GatekeyException.invalidInput(
                    "mfa_serial_number and mfa_authentication_code must be given together.");
        }
        boolean withMfa = hasSerial;
        Optional<Principal> principal = root
                ? credentials.root(attempt.rootEmail())
                : credentials.iamUser(IamNames.requireAccountId(attempt.accountId()),
                        IamNames.requireUserName(attempt.userName()));
        String password = attempt.password() == null ? "" : attempt.password();
        // Unknown principal or no password: one verification against a dummy hash all the same,
        // so the time taken does not tell which users exist.
        boolean passwordMatches = principal.flatMap(Principal::passwordHash)
                .map(hash -> hasher.verify(password, hash))
                .orElseGet(() -> hasher.verifyAgainstDummy(password));
        if (!passwordMatches) {
            LOG.infof("Sign-in failed: %s", root ? "root user" : attempt.accountId() + "/" + attempt.userName());
            principal.ifPresentOrElse(
                    p -> events.failed(p.accountId(), eventUserName(p), p.arn(), withMfa, SignInFailedException.CODE,
                            Instant.now()),
                    () -> {
                        if (!root) { // an unknown root e-mail names no account to record it in
                            events.failed(attempt.accountId(), attempt.userName(), null, withMfa,
                                    SignInFailedException.CODE, Instant.now());
                        }
                    });
            throw new SignInFailedException();
        }
        Principal p = principal.orElseThrow();
        Optional<Instant> mfaTime = Optional.empty();
        if (withMfa) {
            try {
                // mfa-device-service names the root user by the empty user name
                mfaTime = Optional.of(totp.verifyTotp(p.accountId(), root ? "" : p.userName(),
                        attempt.mfaSerialNumber(), attempt.mfaAuthenticationCode()));
            } catch (GatekeyException e) {
                events.failed(p.accountId(), eventUserName(p), p.arn(), true, e.code(), Instant.now());
                throw e;
            }
        }
        Instant now = Instant.now();
        Caller caller = new Caller(p.arn(), p.type(), p.accountId(), p.userId(), p.userName(),
                Optional.of(withMfa), mfaTime, now, null);
        Session session = new Session(caller, tokens.issueSession(caller));
        events.succeeded(p, withMfa, now);
        return session;
    }

    private static String eventUserName(Principal p) {
        return p.type() == PrincipalType.ROOT ? SignInEvents.ROOT : p.userName();
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
