package io.hepstack.enricher.blacklist;

/** One entry of {@code blacklists.lists}. */
public class BlacklistListConfig {
    /** Written to {@code blacklist.sources}/hits, e.g. "voipbl". */
    public String name;
    public String file;
    /** auto, netset, ipset, plain or csv. */
    public String format = "auto";
    /** Overrides the file's own category (FireHOL header) when set; for plain lists the only source of one. */
    public String category;
    /** Overrides the file's maintainer as the hit's source when set. */
    public String source;
}
