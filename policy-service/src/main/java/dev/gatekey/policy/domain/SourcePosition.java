package dev.gatekey.policy.domain;

/** A place in a policy document: 1-based line and column (AWS's Position). */
public record SourcePosition(int line, int column) {
}
