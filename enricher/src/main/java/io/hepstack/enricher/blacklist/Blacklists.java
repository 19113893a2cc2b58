package io.hepstack.enricher.blacklist;

import io.hepstack.enricher.net.IpAddress;
import io.hepstack.enricher.reload.ReloadableFile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** All configured lists; an address is checked against each one's active version. */
public final class Blacklists {

    private final List<ReloadableFile<IpList>> lists;

    public Blacklists(List<ReloadableFile<IpList>> lists) {
        this.lists = List.copyOf(lists);
    }

    /** Hits in configuration order; an empty immutable list (no allocation) when no list names {@code a}. */
    public List<BlacklistHit> find(IpAddress a) {
        List<BlacklistHit> out = null;
        for (int i = 0; i < lists.size(); i++) {
            IpList l = lists.get(i).current();
            BlacklistHit h = l == null ? null : l.find(a);
            if (h != null) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(h);
            }
        }
        return out == null ? List.of() : Collections.unmodifiableList(out);
    }

    public List<ReloadableFile<IpList>> files() {
        return lists;
    }
}
