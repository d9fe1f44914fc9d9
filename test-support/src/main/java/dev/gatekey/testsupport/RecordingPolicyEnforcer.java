package dev.gatekey.testsupport;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for policy-service in the tests of services that ask it (policy-service is not
 * running there): records every question and answers allow or deny as the test says. A deny
 * is AWS's implicit-deny AccessDenied. Real decisions are covered by the system test.
 *
 * <p>A bean only where the service's tests index this module
 * ({@code %test.quarkus.index-dependency.testsupport.*}); policy-service does not, and keeps
 * its own enforcer.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class RecordingPolicyEnforcer implements PolicyEnforcer {

    /** One authorization question. */
    public record Question(Caller caller, String action, String resource) {
    }

    private final List<Question> questions = new CopyOnWriteArrayList<>();
    private volatile boolean allow = true;

    @Override
    public void authorize(Caller caller, String action, String resource) {
        questions.add(new Question(caller, action, resource));
        if (!allow) {
            throw AccessDeniedException.implicitDeny(caller.principalArn(), action, resource);
        }
    }

    /** Allow ({@code true}, the default) or deny every question from now on. */
    public void allow(boolean allow) {
        this.allow = allow;
    }

    /** Forget the questions and allow again. */
    public void reset() {
        questions.clear();
        allow = true;
    }

    /** The questions asked since the last {@link #reset()}, oldest first. */
    public List<Question> questions() {
        return List.copyOf(questions);
    }
}
