package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;

import static io.hepstack.collector.fraud.CheckSupport.span;
import static io.hepstack.collector.fraud.CheckSupport.window;

/**
 * hepstack's new-country: calls of a user to a destination country not among the countries of its
 * last N calls (once it has a minimum history), counted in the window.
 */
final class NewCountryCheck implements FraudCheck {

    @Override
    public void callStarted(CallStarted e, LiveCall call, FraudContext cx) {
        UserState u = call.user;
        String country = e.calledCountry();
        if (u == null || country == null || country.isEmpty()) {
            return;
        }
        Checks.NewCountry nc = cx.checks().newCountry();
        if (u.countries == null || u.countries.length != nc.lastCalls()) {
            u.countries = new String[nc.lastCalls()];
            u.countryNext = 0;
            u.countryCount = 0;
        }
        boolean seen = false;
        for (int i = 0; i < u.countryCount && !seen; i++) {
            seen = country.equalsIgnoreCase(u.countries[i]);
        }
        if (!seen && u.countryCount >= nc.minHistory() && nc.count().active()) {
            u.newCountries = window(u.newCountries, nc.count());
            int n = u.newCountries.add(cx.time());
            Severity s = nc.count().threshold().reached(n);
            if (s != null) {
                cx.raise(AlertRule.NEW_COUNTRY, AlertRule.NEW_COUNTRY.code(), s, n, nc.count().threshold(), u.key,
                        "user " + u.key + " called " + n + " new destination countries in "
                                + span(nc.count().windowSeconds()) + ", latest " + country + " (" + cx.number()
                                + ") not among the last " + u.countryCount + " calls");
            }
        }
        u.countries[u.countryNext] = country;
        u.countryNext = (u.countryNext + 1) % u.countries.length;
        if (u.countryCount < u.countries.length) {
            u.countryCount++;
        }
    }
}
