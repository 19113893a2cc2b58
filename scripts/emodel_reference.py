#!/usr/bin/env python3
"""Known answers for the simplified ITU-T G.107 E-model, written from the formulas alone.

Writes collector/src/test/resources/qos/emodel-reference.csv, which EModelTest compares the Java
EModel with (to 1e-6). This script deliberately shares no code with the Java implementation; it
uses only the published formulas and constants:

  R       = (Ro - Is) - Id - Ie,eff + A            ITU-T G.107 section 7.1, A = 0
  Ro - Is = 93.2                                   G.107 with all default parameter values
  Id      = 0.024 d + 0.11 (d - 177.3) H(d - 177.3)   Cole & Rosenbluth (2001) fit of G.107 Id
  Ie,eff  = Ie + (95 - Ie) Ppl / (Ppl/BurstR + Bpl)   G.107 (7-29)
  MOS     = 1 if R <= 0; 4.5 if R >= 100;
            else 1 + 0.035 R + R (R - 60)(100 - R) 7e-6   G.107 Annex B

Codec Ie/Bpl: ITU-T G.113 (11/2007) Appendix I. The following are hepstack's documented planning
assumptions, not ITU values, repeated here from the Java Javadoc:
  one-way delay d = RTT/2 + 2 * jitter + codec delay
  codec delay: G.711 20 ms, G.729A 25 ms (2 x 10 ms frames + 5 ms look-ahead),
               G.723.1 37.5 ms (30 ms frame + 7.5 ms look-ahead)
  reported R clamped to 0..100; MOS held at >= 1 (the cubic dips below 1 for 0 < R < 6.5)

Rows with a value in one_way_ms_given bypass the delay assumption: d is that value.

Usage: scripts/emodel_reference.py  (from the repository root; overwrites the CSV)
"""
import csv
import os

CODECS = {
    #             Ie    Bpl   codec delay ms
    'G711':      (0.0, 25.1, 20.0),
    'G711_NO_PLC': (0.0, 4.3, 20.0),
    'G729A':     (11.0, 19.0, 25.0),
    'G723_1':    (15.0, 16.1, 37.5),
}

JITTER_BUFFER_FACTOR = 2.0


def heaviside(x):
    return 1.0 if x > 0 else 0.0


def evaluate(codec, loss_pct, burst_r, rtt_ms, jitter_ms, one_way_given):
    ie, bpl, codec_delay = CODECS[codec]
    if one_way_given is None:
        d = rtt_ms / 2.0 + JITTER_BUFFER_FACTOR * jitter_ms + codec_delay
    else:
        d = one_way_given
    i_d = 0.024 * d + 0.11 * (d - 177.3) * heaviside(d - 177.3)
    ie_eff = ie + (95.0 - ie) * loss_pct / (loss_pct / burst_r + bpl)
    r = 93.2 - i_d - ie_eff
    if r <= 0:
        mos = 1.0
    elif r >= 100:
        mos = 4.5
    else:
        mos = max(1.0, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6)
    r_reported = min(100.0, max(0.0, r))
    return d, i_d, ie_eff, r_reported, mos


# codec, loss %, BurstR, RTT ms, jitter ms, one-way ms given (None = computed)
ROWS = [
    # the ceiling: no loss, no delay at all
    ('G711', 0.0, 1.0, 0.0, 0.0, 0.0),
    # no loss, no network delay: only the codec's own delay
    ('G711', 0.0, 1.0, 0.0, 0.0, None),
    ('G711', 1.0, 1.0, 40.0, 5.0, None),
    ('G711', 2.5, 1.0, 80.0, 10.0, None),
    ('G711', 5.0, 1.0, 100.0, 20.0, None),
    ('G711', 5.0, 2.0, 100.0, 20.0, None),      # bursty loss hurts more
    ('G711', 10.0, 1.0, 150.0, 30.0, None),
    ('G711_NO_PLC', 1.0, 1.0, 40.0, 5.0, None),
    ('G711_NO_PLC', 5.0, 1.0, 40.0, 5.0, None),
    ('G729A', 0.0, 1.0, 0.0, 0.0, None),
    ('G729A', 1.0, 1.0, 60.0, 8.0, None),
    ('G729A', 3.0, 1.5, 120.0, 15.0, None),
    ('G723_1', 0.0, 1.0, 0.0, 0.0, None),
    ('G723_1', 2.0, 1.0, 200.0, 25.0, None),
    # one-way delay just below, at and above the 177.3 ms knee
    ('G711', 0.0, 1.0, 0.0, 0.0, 177.0),
    ('G711', 0.0, 1.0, 0.0, 0.0, 177.3),
    ('G711', 0.0, 1.0, 0.0, 0.0, 178.0),
    ('G711', 0.0, 1.0, 300.0, 40.0, None),      # d = 250 ms, above the knee
    ('G711', 0.0, 1.0, 0.0, 0.0, 400.0),
    # very high loss
    ('G711', 50.0, 1.0, 50.0, 10.0, None),
    ('G711', 100.0, 1.0, 0.0, 0.0, None),
    ('G729A', 100.0, 3.0, 100.0, 20.0, None),
    # clamp cases: R below 0 (MOS 1, R reported 0), R in the 0..6.5 dip (MOS held at 1)
    ('G711', 60.0, 1.0, 0.0, 0.0, 600.0),
    ('G723_1', 80.0, 4.0, 0.0, 0.0, 500.0),
    ('G711', 100.0, 1.0, 0.0, 0.0, 500.0),
    ('G711', 20.0, 1.0, 0.0, 0.0, 450.0),       # R about 10: MOS just above 1
    ('G711', 20.0, 1.0, 0.0, 0.0, 490.0),
    ('G711', 30.0, 1.0, 0.0, 0.0, 460.0),
]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_dir = os.path.join(root, 'collector', 'src', 'test', 'resources', 'qos')
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, 'emodel-reference.csv')
    with open(path, 'w', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerow(['codec', 'loss_pct', 'burst_r', 'rtt_ms', 'jitter_ms', 'one_way_ms_given',
                    'one_way_ms', 'id', 'ie_eff', 'r', 'mos'])
        for codec, loss, burst, rtt, jit, given in ROWS:
            d, i_d, ie_eff, r, mos = evaluate(codec, loss, burst, rtt, jit, given)
            w.writerow([codec, loss, burst, rtt, jit, '' if given is None else given,
                        repr(d), repr(i_d), repr(ie_eff), repr(r), repr(mos)])
    print('wrote', path, len(ROWS), 'rows')


if __name__ == '__main__':
    main()
