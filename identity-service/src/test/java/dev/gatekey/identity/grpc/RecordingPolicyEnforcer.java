package dev.gatekey.identity.grpc;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for policy-service (not running in these tests): records every question and
 * answers allow or deny as the test says. A deny is AWS's implicit-deny AccessDenied.
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

    /** Forget the questions and allow again. */
    public void reset() {
        questions.clear();
        allow = true;
    }

    public void denyAll() {
        allow = false;
    }

    public List<Question> questions() {
        return List.copyOf(questions);
    }
}
