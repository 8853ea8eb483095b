package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.kube.PagedList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Paging needs a real API server: fabric8's mock ignores the limit and always answers in one page. */
@ExtendWith(RequiresApiServer.class)
class PagedListApiServerTest {

    @Test
    void everyObjectIsHandedOverPageByPageEvenWhenEachIsDeletedOnTheWay() {
        ApiServerKit kit = ApiServerKit.get();
        KubernetesClient admin = kit.admin();
        Map<String, String> labels = Map.of("paged-list-test", "yes");
        for (String namespace : List.of("paged-a", "paged-b")) {
            kit.namespace(namespace);
            for (int i = 0; i < 3; i++) {
                admin.resource(new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName("cm-" + i)
                        .withLabels(labels).endMetadata().build()).create();
            }
        }
        // Not selected: no label.
        admin.resource(new ConfigMapBuilder().withNewMetadata().withNamespace("paged-a").withName("other").endMetadata()
                .build()).create();

        List<String> seen = new ArrayList<>();
        int pages = PagedList.forEach(admin.configMaps().inAnyNamespace().withLabels(labels), 2, (ConfigMap map) -> {
            seen.add(map.getMetadata().getNamespace() + "/" + map.getMetadata().getName());
            admin.resource(map).delete();
        });

        assertThat(seen).containsExactlyInAnyOrder("paged-a/cm-0", "paged-a/cm-1", "paged-a/cm-2", "paged-b/cm-0",
                "paged-b/cm-1", "paged-b/cm-2");
        assertThat(pages).isEqualTo(3);
        assertThat(admin.configMaps().inAnyNamespace().withLabels(labels).list().getItems()).isEmpty();
        assertThat(admin.configMaps().inNamespace("paged-a").withName("other").get()).isNotNull();
    }
}
