package io.hepstack.enricher.rating;

import java.util.ArrayList;
import java.util.List;

/** {@code rating:} section. */
public class RatingConfig {
    public boolean enabled = true;
    public List<RateTableConfig> tables = new ArrayList<>();
    public List<RatingRule> rules = new ArrayList<>();
    /** Table for calls no rule picks; null: the first table. */
    public String defaultTable;
    /** Whether failed/unanswered calls cost the connect fee (else 0). */
    public boolean chargeConnectFeeOnFailure = false;
}
