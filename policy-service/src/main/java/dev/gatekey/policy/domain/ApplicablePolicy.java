package dev.gatekey.policy.domain;

/** A policy that applies to a request, named by its source (a managed policy's ARN). */
public record ApplicablePolicy(String sourcePolicyId, PolicyDocument document) {
}
