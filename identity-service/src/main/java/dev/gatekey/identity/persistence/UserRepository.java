package dev.gatekey.identity.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<UserEntity, String> {

    /** The user of the account with this name, ignoring case (AWS: names are case-insensitive). */
    public Optional<UserEntity> findByName(String accountId, String userName) {
        return find("accountId = ?1 and lower(userName) = lower(?2)", accountId, userName).firstResultOptional();
    }
}
