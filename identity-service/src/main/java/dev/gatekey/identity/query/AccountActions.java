package dev.gatekey.identity.query;

import dev.gatekey.identity.application.AccountSummary;
import dev.gatekey.identity.application.CredentialReports;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.Map;

/** The account: GetAccountSummary, GenerateCredentialReport, GetCredentialReport. */
@ApplicationScoped
public class AccountActions implements QueryActions {
    @Inject
    AccountSummary summary;

    @Inject
    CredentialReports reports;

    @Override
    public QueryApi api() {
        return QueryApi.IAM;
    }

    @Override
    public Map<String, QueryAction> actions() {
        return Map.of(
                "GetAccountSummary", this::getAccountSummary,
                "GenerateCredentialReport", this::generateCredentialReport,
                "GetCredentialReport", this::getCredentialReport);
    }

    /** AWS's map shape: {@code <SummaryMap><entry><key>Users</key><value>3</value></entry>...}. */
    QueryResult getAccountSummary(QueryRequest request) {
        Map<String, Integer> map = summary.summaryMap(request.caller());
        return xml -> xml.nested("SummaryMap", m -> {
            for (Map.Entry<String, Integer> e : map.entrySet()) {
                m.nested("entry", entry -> entry.element("key", e.getKey()).element("value", e.getValue()));
            }
        });
    }

    QueryResult generateCredentialReport(QueryRequest request) {
        CredentialReports.Generation generation = reports.generate(request.caller());
        return xml -> xml.element("State", generation.state()).optional("Description", generation.description());
    }

    QueryResult getCredentialReport(QueryRequest request) {
        CredentialReports.Report report = reports.get(request.caller());
        return xml -> xml.element("Content", Base64.getEncoder().encodeToString(report.content()))
                .element("ReportFormat", CredentialReports.Report.FORMAT)
                .element("GeneratedTime", report.generatedTime());
    }
}
