package io.hepstack.enricher.number;

/**
 * What a dialled or presented number is.
 *
 * @param raw           the input as given (a SIP/tel URI or a user part)
 * @param normalized    after URI, separator and dial-plan processing: {@code +digits} or national digits
 * @param e164          {@code +} and digits when the number is valid, or was dialled in international form
 *                      ({@code +}, an international or trunk prefix) with a known country code even if
 *                      libphonenumber calls it invalid (so rating can still match a prefix); else null
 *                      (a national number that is not valid, e.g. the extension "100", gets none)
 * @param countryCode   ITU country calling code, or null
 * @param regionCode    ISO 3166 region (or "001" for non-geographic codes such as +882) of a valid number, else null
 * @param type          lower-case libphonenumber type: fixed_line, mobile, fixed_line_or_mobile, toll_free,
 *                      premium_rate, shared_cost, voip, personal_number, pager, uan, voicemail, unknown
 * @param geo           geographic description (libphonenumber geocoder), or null
 * @param carrier       original carrier of a mobile range (libphonenumber carrier data), or null
 * @param valid         libphonenumber {@code isValidNumber}
 */
public record NumberInfo(String raw, String normalized, String e164, Integer countryCode, String regionCode,
                         String type, String geo, String carrier, boolean valid) {

    /** The e.164 digits without '+', for prefix matching; null without an e.164 form. */
    public String digits() {
        return e164 == null ? null : e164.substring(1);
    }
}
