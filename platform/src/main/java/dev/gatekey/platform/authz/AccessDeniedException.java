package dev.gatekey.platform.authz;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;

/** AWS's {@code AccessDenied}, with AWS's message for identity-based policies. */
public class AccessDeniedException extends GatekeyException {

    public AccessDeniedException(String message) {
        super("AccessDenied", ErrorKind.ACCESS_DENIED, message);
    }

    public static AccessDeniedException explicitDeny(String principalArn, String action, String resource) {
        return new AccessDeniedException("User: " + principalArn + " is not authorized to perform: " + action
                + " on resource: " + resource + " with an explicit deny in an identity-based policy");
    }

    public static AccessDeniedException implicitDeny(String principalArn, String action, String resource) {
        return new AccessDeniedException("User: " + principalArn + " is not authorized to perform: " + action
                + " on resource: " + resource + " because no identity-based policy allows the " + action
                + " action");
    }
}
