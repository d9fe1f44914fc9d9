package dev.gatekey.policy.domain;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import java.util.Map;

/**
 * AWS's {@code MalformedPolicyDocument}: the document is not valid JSON or breaks the IAM policy
 * grammar. The message names the problem and, when known, the line and column (1-based) in the
 * document; both are also carried as ErrorInfo metadata ({@code line}, {@code column}).
 */
public class MalformedPolicyDocument extends GatekeyException {
    public static final String CODE = "MalformedPolicyDocument";

    public MalformedPolicyDocument(String problem) {
        super(CODE, ErrorKind.INVALID_INPUT, problem);
    }

    public MalformedPolicyDocument(String problem, int line, int column) {
        super(CODE, ErrorKind.INVALID_INPUT, problem + " (line " + line + ", column " + column + ")",
                Map.of("line", Integer.toString(line), "column", Integer.toString(column)));
    }
}
