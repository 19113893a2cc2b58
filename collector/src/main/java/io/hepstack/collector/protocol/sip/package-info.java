/**
 * SIP and SDP parsing, lazy and zero-copy where possible (in the style of pkts.io).
 *
 * <p>Entry points: {@link io.hepstack.collector.protocol.sip.SipParser#parse(byte[], int, int)}
 * frames one message into a {@link io.hepstack.collector.protocol.sip.SipMessage} (or throws
 * {@link io.hepstack.collector.protocol.sip.SipParseException} when it is not SIP);
 * {@link io.hepstack.collector.protocol.sip.SipStreamFramer} first cuts a TCP/SCTP stream or a
 * HEP payload holding several messages. Defects that leave a usable message are listed by
 * {@link io.hepstack.collector.protocol.sip.SipMessage#problems()}.
 *
 * <p>Where the Packetbeat SIP fields come from:
 * <pre>
 * sip.type / method / code / status   isRequest(), method(), statusCode(), reasonPhrase()
 * sip.uri.original / scheme /         requestUriRaw(), requestUri().scheme() / user() / host() / port()
 *     username / host / port
 * sip.call_id                         callId()
 * sip.cseq.code / method              cseqNumber(), cseqMethod()
 * sip.from.* / sip.to.*               from(), to(): displayName(), uri().user() / host() / port(), tag()
 * sip.via.original                    vias().get(i).raw() (also transport(), host(), port(), branch())
 * sip.contact.*                       contact() / contacts()
 * sip.user_agent.original             userAgent() (responses: server())
 * sip.content_type / content_length   contentType(), contentLength()
 * sip.max_forwards / allow / supported maxForwards(), allow(), supported()
 * sip.sdp.version / owner.* /         sdp().version(), originUsername() / originSessionId() /
 *     session.name / connection.*         originSessionVersion() / originAddress(), sessionName(),
 *                                         connectionAddress(); per media: media()
 * sip.sdp.body.original               body() when sdp() != null
 * </pre>
 */
package io.hepstack.collector.protocol.sip;
