package dev.gatekey.policy.application;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.policy.domain.ApplicablePolicy;
import dev.gatekey.policy.domain.AuthorizationResult;
import dev.gatekey.policy.domain.Authorizer;
import dev.gatekey.policy.domain.MalformedPolicyDocument;
import dev.gatekey.policy.domain.PolicyNames;
import dev.gatekey.policy.domain.PolicyParser;
import dev.gatekey.policy.domain.PolicySet;
import dev.gatekey.policy.domain.PolicyType;
import dev.gatekey.policy.domain.RequestContext;
import dev.gatekey.policy.persistence.PolicyRepository;
import dev.gatekey.policy.persistence.PrincipalPolicies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * AWS's policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy): every action × every
 * resource is decided with the same {@link Authorizer} as real requests, against the request
 * context given in the call (the simulator adds only the principal keys of CallerArn; MFA keys
 * are present only if given, as in AWS).
 */
@ApplicationScoped
public class PolicySimulator {
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9-]+:[A-Za-z0-9*?]+");
    private static final Pattern USER_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):user/(?:.*/)?([\\w+=,.@-]+)");

    @Inject
    PolicyRepository repository;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    PrincipalPolicyCache principals;

    /** One EvaluationResult: the action, the resource and the decision with its details. */
    public record SimulationResult(String action, String resource, AuthorizationResult result) {
    }

    /** The common parameters of both simulations. */
    public record Simulation(List<String> policyInputs, List<String> boundaryInputs, List<String> actions,
            List<String> resources, String callerArn, Map<String, List<String>> context, String marker,
            int maxItems) {
    }

    @Transactional
    public Page<SimulationResult> simulatePrincipal(Caller caller, String policySourceArn, Simulation s) {
        PolicyNames.PrincipalArn source = PolicyNames.parsePrincipalArn(policySourceArn);
        validate(s);
        enforcer.authorize(caller, "iam:SimulatePrincipalPolicy", policySourceArn);
        if (!source.accountId().equals(caller.accountId())) {
            throw GatekeyException.noSuchEntity("The " + source.type() + " with name " + source.name()
                    + " cannot be found.");
        }
        boolean user = source.type().equals("user");
        PrincipalPolicies stored = user ? repository.userPolicies(caller.accountId(), source.name())
                : repository.groupPolicies(caller.accountId(), source.name());
        List<ApplicablePolicy> identity = new ArrayList<>(principals.identityPolicies(stored));
        identity.addAll(inputs(s.policyInputs(), "PolicyInputList"));
        PolicySet boundary = s.boundaryInputs().isEmpty() ? principals.boundary(stored)
                : PolicySet.of(inputs(s.boundaryInputs(), "PermissionsBoundaryPolicyInputList"));
        String callerArn = s.callerArn() == null || s.callerArn().isEmpty()
                ? (user ? policySourceArn : "") : s.callerArn();
        return run(caller.accountId(), PolicySet.of(identity), boundary, callerArn, s);
    }

    @Transactional
    public Page<SimulationResult> simulateCustom(Caller caller, Simulation s) {
        validate(s);
        if (s.policyInputs().isEmpty()) {
            throw GatekeyException.invalidInput("1 validation error detected: Value null at 'policyInputList' "
                    + "failed to satisfy constraint: Member must not be null");
        }
        enforcer.authorize(caller, "iam:SimulateCustomPolicy", "*");
        PolicySet identity = PolicySet.of(inputs(s.policyInputs(), "PolicyInputList"));
        PolicySet boundary = s.boundaryInputs().isEmpty() ? null
                : PolicySet.of(inputs(s.boundaryInputs(), "PermissionsBoundaryPolicyInputList"));
        return run(caller.accountId(), identity, boundary, s.callerArn(), s);
    }

    private Page<SimulationResult> run(String accountId, PolicySet identity, PolicySet boundary, String callerArn,
            Simulation s) {
        List<String> resources = s.resources().isEmpty() ? List.of("*") : s.resources();
        Map<String, List<String>> keys = new LinkedHashMap<>(s.context());
        String principalArn = callerArn == null ? "" : callerArn;
        var m = USER_ARN.matcher(principalArn);
        if (m.matches()) {
            putIfAbsent(keys, "aws:username", m.group(2));
            putIfAbsent(keys, "aws:PrincipalAccount", m.group(1));
            putIfAbsent(keys, "aws:PrincipalType", "User");
        }
        if (!principalArn.isEmpty()) {
            putIfAbsent(keys, "aws:PrincipalArn", principalArn);
        }
        List<SimulationResult> results = new ArrayList<>();
        for (String action : s.actions()) {
            for (String resource : resources) {
                RequestContext context = new RequestContext(principalArn, PrincipalType.USER, accountId, action,
                        resource, keys);
                results.add(new SimulationResult(action, resource, Authorizer.authorize(context, identity, boundary)));
            }
        }
        return Page.of(results, s.marker(), s.maxItems());
    }

    private static void putIfAbsent(Map<String, List<String>> keys, String key, String value) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (keys.keySet().stream().noneMatch(k -> k.toLowerCase(Locale.ROOT).equals(lower))) {
            keys.put(key, List.of(value));
        }
    }

    private static void validate(Simulation s) {
        if (s.actions().isEmpty()) {
            throw GatekeyException.invalidInput("1 validation error detected: Value null at 'actionNames' failed to "
                    + "satisfy constraint: Member must not be null");
        }
        for (String a : s.actions()) {
            if (a == null || !ACTION.matcher(a).matches()) {
                throw GatekeyException.invalidInput("Action '" + a + "' is not valid: it must have the form "
                        + "service:Action, for example iam:GetUser.");
            }
        }
        for (String r : s.resources()) {
            if (r == null || !(r.equals("*") || (r.startsWith("arn:") && r.chars().filter(c -> c == ':').count() >= 5))) {
                throw GatekeyException.invalidInput("Resource " + r + " must be in ARN format or \"*\".");
            }
        }
        if (s.boundaryInputs().size() > 1) {
            throw GatekeyException.invalidInput("PermissionsBoundaryPolicyInputList takes at most one policy.");
        }
    }

    /** Parses the given policies, named {@code <list>.<n>} (1-based) as AWS names them. */
    private static List<ApplicablePolicy> inputs(List<String> texts, String listName) {
        List<ApplicablePolicy> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String id = listName + "." + (i + 1);
            try {
                out.add(new ApplicablePolicy(id, PolicyType.NONE, PolicyParser.parse(texts.get(i))));
            } catch (MalformedPolicyDocument e) {
                throw new MalformedPolicyDocument(id + ": " + e.getMessage());
            }
        }
        return out;
    }
}
