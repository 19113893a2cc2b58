package io.hepstack.enricher.blacklist;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;

/** One entry of {@code blacklists.lists}. */
public class BlacklistListConfig {
    /** Written to {@code blacklist.sources}/hits, e.g. "voipbl". */
    @NotBlank(message = "is empty")
    public String name;
    @NotBlank(message = "is empty")
    public String file;
    /** auto, netset, ipset, plain or csv. */
    public String format = "auto";

    @JsonIgnore
    @AssertTrue(message = "is unknown: format must be auto, netset, ipset, plain or csv")
    public boolean isFormatKnown() {
        try {
            ListFormat.parse(format);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
    /** Overrides the file's own category (FireHOL header) when set; for plain lists the only source of one. */
    public String category;
    /** Overrides the file's maintainer as the hit's source when set. */
    public String source;
}
