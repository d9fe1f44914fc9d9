package dev.gatekey.identity.query;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An authenticated Query API request: the caller (with its MFA context), how it signed, and the
 * parameters (first value of each name). Parameter readers raise AWS's errors for bad values.
 *
 * @param accessKeyId        the access key id that signed the request
 * @param sessionCredentials whether it was signed with STS session credentials
 * @param region             the region of the signature's credential scope
 */
public record QueryRequest(String action, QueryApi api, String requestId, Caller caller, String accessKeyId,
        boolean sessionCredentials, String region, Map<String, String> parameters) {

    public QueryRequest {
        parameters = Map.copyOf(parameters);
    }

    /** The parameter, empty when absent (an empty value counts as given). */
    public Optional<String> string(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** The parameter, or AWS's ValidationError naming it (lower camel case, as AWS does). */
    public String required(String name) {
        return string(name).orElseThrow(() -> IamNames.validationError(memberName(name), null,
                "Member must not be null"));
    }

    public Optional<Integer> integer(String name) {
        return string(name).map(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new GatekeyException("MalformedInput", dev.gatekey.platform.error.ErrorKind.INVALID_INPUT,
                        "Invalid value for parameter " + name + ", value: " + v + ", type: class java.lang.Integer");
            }
        });
    }

    public Optional<Boolean> bool(String name) {
        return string(name).map(v -> {
            if (v.equalsIgnoreCase("true")) {
                return true;
            }
            if (v.equalsIgnoreCase("false")) {
                return false;
            }
            throw new GatekeyException("MalformedInput", dev.gatekey.platform.error.ErrorKind.INVALID_INPUT,
                    "Invalid value for parameter " + name + ", value: " + v + ", type: class java.lang.Boolean");
        });
    }

    /** A list parameter: {@code <name>.member.1}, {@code <name>.member.2}, ... in order. */
    public List<String> list(String name) {
        List<String> values = new ArrayList<>();
        for (int i = 1; parameters.containsKey(name + ".member." + i); i++) {
            values.add(parameters.get(name + ".member." + i));
        }
        return values;
    }

    /**
     * A list of structures: {@code <name>.member.<i>.<field>}; each map holds the fields given
     * for one member.
     */
    public List<Map<String, String>> structures(String name) {
        List<Map<String, String>> members = new ArrayList<>();
        for (int i = 1; ; i++) {
            String prefix = name + ".member." + i + ".";
            Map<String, String> fields = new LinkedHashMap<>();
            parameters.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    fields.put(k.substring(prefix.length()), v);
                }
            });
            if (fields.isEmpty()) {
                return members;
            }
            members.add(fields);
        }
    }

    /** {@code UserName} → {@code userName}: the member name AWS uses in validation messages. */
    static String memberName(String parameter) {
        return parameter.isEmpty() ? parameter : Character.toLowerCase(parameter.charAt(0)) + parameter.substring(1);
    }

    @Override
    public String toString() {
        return "QueryRequest[" + api + " " + action + ", requestId=" + requestId + "]";
    }
}
