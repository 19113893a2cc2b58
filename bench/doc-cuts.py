#!/usr/bin/env python3
"""What each document-diet cut of round 3 (issue 14) would save, in bytes per message document of
hepgen's mix (DocumentDump lines 2,200-11,969), measured on a dump made before the cuts:

    python3 bench/doc-cuts.py /tmp/dd-before.txt
"""
import json
import sys

# the registered reason phrases of the codes hepgen's mix has (protocol/sip/ReasonPhrases has them all)
PHRASES = {100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 401: 'Unauthorized',
           403: 'Forbidden', 404: 'Not Found', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
           486: 'Busy Here', 487: 'Request Terminated', 503: 'Service Unavailable', 603: 'Decline'}


def compact(v):
    return json.dumps(v, separators=(',', ':'), ensure_ascii=False)


def main(path):
    lines = open(path, encoding='utf-8').read().split('\n')[2199:11969]
    total, saved = 0, {}

    def add(cut, n):
        saved[cut] = saved.get(cut, 0) + n

    for line in lines:
        doc = json.loads(line.split(' ', 2)[2])
        total += len(line.split(' ', 2)[2].encode())
        event, sip = doc.get('event', {}), doc.get('sip', {})
        if event.get('dataset') == 'hep.sip' and 'original' in event:
            add('CRs of the raw SIP', event['original'].count('\r') * 2)
        if 'status' in sip and PHRASES.get(sip.get('code')) == sip['status']:
            add('registered reason phrase', len(',"status":') + len(compact(sip['status'])))
        if 'method' in sip and sip.get('cseq', {}).get('method') == sip['method']:
            add("request's CSeq method", len(',"method":') + len(compact(sip['method'])))
        if 'pai' in sip and sip['pai'].get('uri') == sip.get('from', {}).get('uri'):
            add("PAI that is the From's URI", len(',"pai":') + len(compact(sip['pai'])))
        for party in ('from', 'to'):
            number = sip.get(party, {}).get('number')
            if number is not None and list(number) == ['country_code']:
                add('number country codes', len(',"number":') + len(compact(number)))
        if 'content_type' in sip and 'original' in event:
            add('Content-Type', len(',"content_type":') + len(compact(sip['content_type'])))
        if doc.get('rtcp', {}).get('format') == 'json':
            add('rtcp.format json', len('"format":"json",'))
        if doc.get('payload') == {'format': 'text'}:
            add('payload.format text', len(',"payload":{"format":"text"}'))
        if doc.get('qos', {}).get('mos_source') == 'computed':
            add('qos.mos_source computed', len(',"mos_source":"computed"'))
        if 'original' in sip.get('uri', {}):
            add('(not cut) sip.uri.original', len('"original":,') + len(compact(sip['uri']['original'])))
    n = len(lines)
    print(f'{n} documents, {total / n:,.1f} B on average')
    for cut, b in sorted(saved.items(), key=lambda kv: -kv[1]):
        print(f'{cut:32s} {b / n:6.1f} B')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else '/tmp/dd-before.txt')
