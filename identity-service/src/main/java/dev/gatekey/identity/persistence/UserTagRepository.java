package dev.gatekey.identity.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class UserTagRepository implements PanacheRepositoryBase<UserTagEntity, UserTagEntity.Key> {

    public List<UserTagEntity> forUser(String userId) {
        return list("userId = ?1 order by key", userId);
    }
}
