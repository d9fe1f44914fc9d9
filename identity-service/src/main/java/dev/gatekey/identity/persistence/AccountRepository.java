package dev.gatekey.identity.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<AccountEntity, String> {

    /** The account whose root user has this e-mail, ignoring case. */
    public Optional<AccountEntity> findByRootEmail(String email) {
        return find("lower(rootEmail) = lower(?1)", email).firstResultOptional();
    }
}
