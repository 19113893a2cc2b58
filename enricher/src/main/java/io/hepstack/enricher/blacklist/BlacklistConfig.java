package io.hepstack.enricher.blacklist;

import java.util.ArrayList;
import java.util.List;

/** {@code blacklists:} section. */
public class BlacklistConfig {
    public boolean enabled = true;
    public List<BlacklistListConfig> lists = new ArrayList<>();
}
