package dev.gatekey.identity.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class CredentialReportRepository implements PanacheRepositoryBase<CredentialReportEntity, String> {
}
