#!/usr/bin/env bash
# Generates the tshark reference tables that RtcpBinaryParserPcapTest checks the binary RTCP
# parser against. Run ONCE (the output is committed); re-run only when the captures change.
#
#   scripts/make-rtcp-reference.sh [testdata-dir]
#
# testdata-dir defaults to /work/shared/testdata (the AGPL/GPL captures are never copied into the
# repository; only the numbers tshark reads out of them are).
#
# Output (collector/src/test/resources/rtcp/):
#   rtcp-packets.csv  one row per RTCP packet inside each compound packet (frame, index in compound)
#   rtcp-blocks.csv   one row per SR/RR report block
#
# tshark's -T fields cannot tell report-block identifiers from SDES/BYE identifiers (all are
# rtcp.ssrc.identifier), so the script reads PDML, where each RTCP packet is its own <proto> and
# each report block starts with its own rtcp.ssrc.identifier.
# Made with: TShark (Wireshark) 4.0.x (Debian 12), Python 3.11.
set -euo pipefail

DATA="${1:-/work/shared/testdata}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/collector/src/test/resources/rtcp"
mkdir -p "$OUT"

FILES="pcap/heplify-rtp_rtcp_sip_ipv4_udp.pcap pcap/heplify-sip_ipv4_tcp.pcap pcap/sngrep-aaa.pcap"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
for f in $FILES; do
  tshark -o rtcp.heuristic_rtcp:TRUE -r "$DATA/$f" -Y rtcp -T pdml > "$TMP/$(basename "$f").pdml"
done

python3 - "$TMP" "$OUT" $FILES <<'PY'
import csv, os, sys
import xml.etree.ElementTree as ET

tmp, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]

def fields(elem):
    """All <field> elements below elem, in document order."""
    for child in elem.iter('field'):
        yield child

def num(show):
    # tshark prints SSRCs as 0x..., counters as decimal
    return str(int(show, 16)) if show.startswith('0x') else show

packets = [['file', 'frame', 'index', 'pt', 'count', 'length_words', 'padding', 'ssrc',
            'ntp_msw', 'ntp_lsw', 'rtp_ts', 'packet_count', 'octet_count', 'cname', 'bye_reason']]
blocks = [['file', 'frame', 'index', 'block', 'source_ssrc', 'fraction_lost', 'cumulative_lost',
           'ext_highest_seq', 'jitter', 'lsr', 'dlsr']]

for f in files:
    name = os.path.basename(f)
    root = ET.parse(os.path.join(tmp, name + '.pdml')).getroot()
    for pkt in root.findall('packet'):
        frame = None
        for proto in pkt.findall('proto'):
            if proto.get('name') == 'frame':
                for fld in proto.iter('field'):
                    if fld.get('name') == 'frame.number':
                        frame = fld.get('show')
        index = 0
        for proto in pkt.findall('proto'):
            if proto.get('name') != 'rtcp':
                continue
            row = dict(pt='', count='', length_words='', padding='', ssrc='', ntp_msw='', ntp_lsw='',
                       rtp_ts='', packet_count='', octet_count='', cname='', bye_reason='')
            block = None
            nblock = 0
            sdes_type = None
            for fld in fields(proto):
                n, show = fld.get('name'), fld.get('show')
                if n == 'rtcp.pt':
                    row['pt'] = show
                elif n in ('rtcp.rc', 'rtcp.sc'):
                    row['count'] = show
                elif n == 'rtcp.length':
                    row['length_words'] = show
                elif n == 'rtcp.padding':
                    row['padding'] = show
                elif n == 'rtcp.senderssrc':
                    row['ssrc'] = num(show)
                elif n == 'rtcp.timestamp.ntp.msw':
                    row['ntp_msw'] = show
                elif n == 'rtcp.timestamp.ntp.lsw':
                    row['ntp_lsw'] = show
                elif n == 'rtcp.timestamp.rtp':
                    row['rtp_ts'] = show
                elif n == 'rtcp.sender.packetcount':
                    row['packet_count'] = show
                elif n == 'rtcp.sender.octetcount':
                    row['octet_count'] = show
                elif n == 'rtcp.ssrc.identifier':
                    if row['pt'] in ('200', '201'):
                        block = dict(source_ssrc=num(show))
                        nblock += 1
                        blocks.append(None)  # placeholder, filled below
                        block['_pos'] = len(blocks) - 1
                        block['_n'] = nblock
                    elif row['ssrc'] == '':
                        row['ssrc'] = num(show)  # first SDES chunk / first BYE SSRC
                elif block is not None and n in ('rtcp.ssrc.fraction', 'rtcp.ssrc.cum_nr',
                                                 'rtcp.ssrc.ext_high', 'rtcp.ssrc.jitter',
                                                 'rtcp.ssrc.lsr', 'rtcp.ssrc.dlsr'):
                    block[n] = show
                    if n == 'rtcp.ssrc.dlsr':
                        blocks[block['_pos']] = [name, frame, index, block['_n'], block['source_ssrc'],
                                                 block['rtcp.ssrc.fraction'], block['rtcp.ssrc.cum_nr'],
                                                 block['rtcp.ssrc.ext_high'], block['rtcp.ssrc.jitter'],
                                                 block['rtcp.ssrc.lsr'], block['rtcp.ssrc.dlsr']]
                elif n == 'rtcp.sdes.type':
                    sdes_type = show
                elif n == 'rtcp.sdes.text':
                    if row['pt'] == '202' and sdes_type == '1' and row['cname'] == '':
                        row['cname'] = show
                    elif row['pt'] == '203':
                        row['bye_reason'] = show
            packets.append([name, frame, index, row['pt'], row['count'], row['length_words'],
                            row['padding'], row['ssrc'], row['ntp_msw'], row['ntp_lsw'], row['rtp_ts'],
                            row['packet_count'], row['octet_count'], row['cname'], row['bye_reason']])
            index += 1

assert all(b is not None for b in blocks), 'a report block without DLSR'
for fname, rows in (('rtcp-packets.csv', packets), ('rtcp-blocks.csv', blocks)):
    with open(os.path.join(out, fname), 'w', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n')
        w.writerows(rows)
print('packets', len(packets) - 1, 'blocks', len(blocks) - 1)
PY
