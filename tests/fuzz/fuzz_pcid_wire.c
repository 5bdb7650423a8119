/* fuzz_pcid_wire.c: libFuzzer harness for the pcid channel codec
 * (runtime/host/redox/rx_pcid_wire.c, API in rx_pcid_wire.h): the bytes a
 * Redox driver reads from pcid (responses) and the emulated pcid reads
 * from a driver (requests) are untrusted.  The first input byte picks the
 * decoder (0 request, 1 response body, 2 framed response), the rest is the
 * message.  Oracles: a decoder either fails with a reason or consumes the
 * whole buffer, and what it accepted re-encodes to the same bytes
 * (bincode 1 has one encoding per value, and the decoder refuses trailing
 * bytes, so decode then encode is the identity). */
/* rx_sys.h first: its Redox stat struct has fields that glibc's <sys/stat.h>
 * (pulled in by fuzz_util.h) defines as macros. */
#include "rx_pcid_wire.h"
#include "fuzz_util.h"

static rx_u8 out[1 << 16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const rx_u8 *msg = data + 1;
	rx_size len = size - 1;
	const char *why = NULL;
	switch (data[0] % 3) {
	case 0: {
		struct rxw_req req;
		long n = rxw_decode_req(msg, len, &req, &why);
		FUZZ_CHECK(n < 0 ? why != NULL : (rx_size)n == len);
		if (n >= 0) {
			long m = rxw_encode_req(&req, out, sizeof out);
			FUZZ_CHECK(m == n && !memcmp(out, msg, len));
			FUZZ_CHECK(rxw_req_name(req.tag) != NULL);
		}
		break;
	}
	case 1: {
		static struct rxw_resp resp;
		long n = rxw_decode_resp(msg, len, &resp, &why);
		FUZZ_CHECK(n < 0 ? why != NULL : (rx_size)n == len);
		if (n >= 0) {
			long m = rxw_encode_resp(&resp, out, sizeof out);
			FUZZ_CHECK(m == n + 8 && !memcmp(out + 8, msg, len));
			FUZZ_CHECK(rxw_resp_name(resp.tag) != NULL);
		}
		break;
	}
	default: {
		static struct rxw_resp resp;
		long n = rxw_decode_resp_framed(msg, len, &resp, &why);
		FUZZ_CHECK(n < 0 ? why != NULL : (rx_size)n == len);
		if (n >= 0) {
			long m = rxw_encode_resp(&resp, out, sizeof out);
			FUZZ_CHECK(m == n && !memcmp(out, msg, len));
		}
		break;
	}
	}
	return 0;
}
