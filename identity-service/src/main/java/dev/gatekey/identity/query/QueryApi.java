package dev.gatekey.identity.query;

import java.util.Optional;

/** The AWS Query APIs identity-service serves, by their {@code Version} parameter. */
public enum QueryApi {
    /** IAM: {@code Version=2010-05-08}, signed for service {@code iam}. */
    IAM("2010-05-08", "https://iam.amazonaws.com/doc/2010-05-08/", "iam"),
    /** STS: {@code Version=2011-06-15}, signed for service {@code sts}. */
    STS("2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/", "sts");

    private final String version;
    private final String namespace;
    private final String signingName;

    QueryApi(String version, String namespace, String signingName) {
        this.version = version;
        this.namespace = namespace;
        this.signingName = signingName;
    }

    public String version() {
        return version;
    }

    /** The XML namespace of its responses. */
    public String namespace() {
        return namespace;
    }

    /** The service name in the SigV4 credential scope. */
    public String signingName() {
        return signingName;
    }

    public static Optional<QueryApi> ofVersion(String version) {
        for (QueryApi api : values()) {
            if (api.version.equals(version)) {
                return Optional.of(api);
            }
        }
        return Optional.empty();
    }
}
