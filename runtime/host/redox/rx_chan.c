/* rx_chan.c: the client side of the pcid channel (PCID_CLIENT_CHANNEL).
 * A request is one write() of its bincode body; the reply is an 8-byte
 * little-endian length, then the body ([B] drivers/pcid/src/
 * driver_interface/mod.rs send/recv; scheme.rs read_channel/write_channel).
 * pcid answers every request synchronously, so a reply is always ready
 * when we read; any surprise (short read, absurd length, undecodable body,
 * the wrong reply) means the channel is broken: the daemon says which
 * message and leaves with RX_EXIT_HOST instead of hanging or guessing.
 * Requests pcid would crash on, or that undo our state, never leave here
 * (redox-api.md section 10): EnableDevice (not idempotent: it disables
 * MSI/MSI-X), RequestVendorCapabilities (crashes on odd capability
 * lengths), config offsets rx_cfg_offset_ok rejects. */
#include "rx_internal.h"

#define RX_CHAN_MAX_BODY 65536u /* pcid's largest reply is a few KiB */

static volatile int rx_chan_busy; /* request written, reply not read yet */

/* The reply each request must get (PcidClientResponse tags). */
static int rx_expected_reply(rx_u32 req_tag, rx_u32 resp_tag)
{
	switch (req_tag) {
	case RXW_REQ_REQUEST_CONFIG:
		return resp_tag == RXW_RESP_CONFIG;
	case RXW_REQ_REQUEST_FEATURES:
		return resp_tag == RXW_RESP_ALL_FEATURES;
	case RXW_REQ_ENABLE_FEATURE:
		return resp_tag == RXW_RESP_FEATURE_ENABLED || resp_tag == RXW_RESP_ERROR;
	case RXW_REQ_FEATURE_INFO:
		return resp_tag == RXW_RESP_FEATURE_INFO || resp_tag == RXW_RESP_ERROR;
	case RXW_REQ_SET_FEATURE_INFO:
		return resp_tag == RXW_RESP_SET_FEATURE_INFO || resp_tag == RXW_RESP_ERROR;
	case RXW_REQ_READ_CONFIG:
		return resp_tag == RXW_RESP_READ_CONFIG;
	case RXW_REQ_WRITE_CONFIG:
		return resp_tag == RXW_RESP_WRITE_CONFIG;
	default:
		return 0;
	}
}

/* Read exactly len bytes of a reply; 0 or a negative result = broken. */
static long rx_chan_read_all(rx_u8 *buf, rx_size len)
{
	rx_size got = 0;
	while (got < len) {
		long n = rx_read(rx.chan, buf + got, len - got);
		if (n == -RX_EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? n : -RX_EIO;
		got += (rx_size)n;
	}
	return (long)got;
}

/* Send one request and read its reply body into buf; returns the body
 * length or a negative rx_sys error (reported by the caller). */
static long rx_chan_exchange(const rx_u8 *req, rx_size req_len, rx_u8 *buf, rx_size cap, rx_u64 *body_len)
{
	long n;
	do
		n = rx_write(rx.chan, req, req_len);
	while (n == -RX_EINTR);
	if (n < 0)
		return n;
	if ((rx_size)n != req_len)
		return -RX_EIO;
	rx_chan_busy = 1;
	rx_u8 lenbuf[8];
	n = rx_chan_read_all(lenbuf, 8);
	if (n < 0)
		return n;
	rx_u64 len = 0;
	for (int i = 0; i < 8; i++)
		len |= (rx_u64)lenbuf[i] << (8 * i);
	*body_len = len;
	if (len > cap)
		return -RX_ENOSPC;
	n = rx_chan_read_all(buf, (rx_size)len);
	rx_chan_busy = 0;
	return n;
}

int rx_chan_call(const struct rxw_req *req, struct rxw_resp *resp)
{
	static rx_u8 body[RX_CHAN_MAX_BODY];
	rx_u8 out[64];
	const char *name = rxw_req_name(req->tag);
	if (rx.chan < 0)
		return -KPI_ENODEV;
	if (req->tag == RXW_REQ_ENABLE_DEVICE || req->tag == RXW_REQ_REQUEST_VENDOR_CAPS) {
		rx_logf(KPI_LOG_ERR, "kpi redox: refusing to send %s to pcid (see rx_chan.c)", name);
		return -KPI_EINVAL;
	}
	if ((req->tag == RXW_REQ_READ_CONFIG || req->tag == RXW_REQ_WRITE_CONFIG) &&
	    !rx_cfg_offset_ok(req->offset, rx.ecam)) {
		rx_logf(KPI_LOG_ERR, "kpi redox: refusing %s(0x%x): pcid takes dword offsets below %u", name,
			(unsigned)req->offset, rx.ecam ? 4096u : 256u);
		return -KPI_EINVAL;
	}
	long n = rxw_encode_req(req, out, sizeof(out));
	if (n < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: cannot encode %s (%ld)", name, n);
		return -KPI_EINVAL;
	}
	rx_u64 len = 0;
	long got = rx_chan_exchange(out, (rx_size)n, body, sizeof(body), &len);
	if (got == -RX_ENOSPC)
		rx_host_fail("kpi redox: pcid's reply to %s claims %llu bytes: the channel is broken", name,
			     (unsigned long long)len);
	if (got < 0)
		rx_host_fail("kpi redox: pcid channel (fd %ld) failed during %s: error %ld", rx.chan, name, -got);
	const char *why = 0;
	long used = rxw_decode_resp(body, (rx_size)len, resp, &why);
	if (used < 0)
		rx_host_fail("kpi redox: pcid's reply to %s is not a message this backend knows: %s", name,
			     why ? why : "undecodable");
	if ((rx_u64)used != len)
		rx_host_fail("kpi redox: pcid's reply to %s has %llu bytes, the message takes %ld", name,
			     (unsigned long long)len, used);
	if (!rx_expected_reply(req->tag, resp->tag))
		rx_host_fail("kpi redox: pcid answered %s with %s", name, rxw_resp_name(resp->tag));
	if (resp->tag == RXW_RESP_ERROR) {
		if (resp->error == RXW_ERR_NONEXISTENT_FEATURE)
			return -KPI_ENOTSUP;
		rx_logf(KPI_LOG_ERR, "kpi redox: pcid refused %s: invalid bit pattern", name);
		return -KPI_EINVAL;
	}
	if ((req->tag == RXW_REQ_ENABLE_FEATURE || req->tag == RXW_REQ_FEATURE_INFO) &&
	    resp->feature != req->feature)
		rx_host_fail("kpi redox: pcid answered %s for feature %u with feature %u", name,
			     (unsigned)req->feature, (unsigned)resp->feature);
	return 0;
}

int rx_chan_read(rx_u32 offset, rx_u32 *value)
{
	struct rxw_req req = {.tag = RXW_REQ_READ_CONFIG, .offset = (rx_u16)offset};
	struct rxw_resp resp;
	if (offset > 0xffff)
		return -KPI_EINVAL;
	int rc = rx_chan_call(&req, &resp);
	if (rc == 0)
		*value = resp.value;
	return rc;
}

int rx_chan_write(rx_u32 offset, rx_u32 value)
{
	struct rxw_req req = {.tag = RXW_REQ_WRITE_CONFIG, .offset = (rx_u16)offset, .value = value};
	struct rxw_resp resp;
	if (offset > 0xffff)
		return -KPI_EINVAL;
	return rx_chan_call(&req, &resp);
}

/* Bus master off from a signal handler or abort: no rx_host_fail (we are
 * leaving anyway), and first drain a reply the interrupted code was
 * waiting for, since pcid refuses a write while one is unread. */
int rx_chan_emergency(void)
{
	rx_u8 buf[64], lenbuf[8];
	if (rx.chan < 0)
		return -1;
	if (rx_chan_busy) {
		rx_chan_busy = 0;
		if (rx_read(rx.chan, lenbuf, 8) == 8)
			while (rx_read(rx.chan, buf, sizeof(buf)) == (long)sizeof(buf))
				;
	}
	struct rxw_req rd = {.tag = RXW_REQ_READ_CONFIG, .offset = 0x04};
	long n = rxw_encode_req(&rd, buf, sizeof(buf));
	if (n < 0 || rx_write(rx.chan, buf, (rx_size)n) != n || rx_read(rx.chan, lenbuf, 8) != 8)
		return -1;
	rx_u8 body[16];
	if (rx_read(rx.chan, body, sizeof(body)) != 8 || body[0] != RXW_RESP_READ_CONFIG)
		return -1;
	rx_u32 cmd = (rx_u32)body[4] | (rx_u32)body[5] << 8; /* COMMAND; STATUS written as 0 */
	struct rxw_req wr = {.tag = RXW_REQ_WRITE_CONFIG, .offset = 0x04, .value = cmd & ~0x4u};
	n = rxw_encode_req(&wr, buf, sizeof(buf));
	if (n < 0 || rx_write(rx.chan, buf, (rx_size)n) != n || rx_read(rx.chan, lenbuf, 8) != 8)
		return -1;
	rx_read(rx.chan, body, sizeof(body));
	return 0;
}
