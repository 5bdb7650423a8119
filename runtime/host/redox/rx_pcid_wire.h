/* rx_pcid_wire.h: the pcid channel's messages as C values, and their
 * bincode-1 encoding (little-endian, fixed-width integers, u32 enum tags,
 * u8 Option tags, u64 Vec lengths), byte-exact against Redox base's
 * pcid driver_interface at 9dd6901d (see /work/shared/redox-api.md
 * section 3 and 10, and the vectors in /work/shared/redox/).
 *
 * Both directions of both messages: the backend encodes requests and
 * decodes responses; the emulated pcid (runtime/host/redox-emu) decodes
 * requests and encodes responses.  Pure functions over byte buffers, no
 * I/O, no allocation: safe to fuzz.
 *
 * Framing: a request is one write() of the bare body; a response is read
 * as an 8-byte little-endian length, then the body.  rxw_encode_resp writes
 * the length prefix too; rxw_decode_resp takes the body only.
 *
 * Includes only rx_sys.h (for the fixed-width types). */
#ifndef RX_PCID_WIRE_H
#define RX_PCID_WIRE_H

#include "rx_sys.h"

/* PcidClientRequest tags. */
enum rxw_req_tag {
	RXW_REQ_ENABLE_DEVICE = 0,
	RXW_REQ_REQUEST_CONFIG = 1,
	RXW_REQ_REQUEST_FEATURES = 2,
	RXW_REQ_REQUEST_VENDOR_CAPS = 3,
	RXW_REQ_ENABLE_FEATURE = 4,
	RXW_REQ_FEATURE_INFO = 5,
	RXW_REQ_SET_FEATURE_INFO = 6,
	RXW_REQ_READ_CONFIG = 7,
	RXW_REQ_WRITE_CONFIG = 8,
};

/* PcidClientResponse tags. */
enum rxw_resp_tag {
	RXW_RESP_ENABLED_DEVICE = 0,
	RXW_RESP_CONFIG = 1,
	RXW_RESP_ALL_FEATURES = 2,
	RXW_RESP_VENDOR_CAPS = 3,
	RXW_RESP_FEATURE_ENABLED = 4,
	RXW_RESP_FEATURE_STATUS = 5,
	RXW_RESP_ERROR = 6,
	RXW_RESP_FEATURE_INFO = 7,
	RXW_RESP_SET_FEATURE_INFO = 8,
	RXW_RESP_READ_CONFIG = 9,
	RXW_RESP_WRITE_CONFIG = 10,
};

enum rxw_feature { RXW_FEAT_MSI = 0, RXW_FEAT_MSIX = 1 };
enum rxw_error { RXW_ERR_NONEXISTENT_FEATURE = 0, RXW_ERR_INVALID_BIT_PATTERN = 1 };
enum rxw_bar_tag { RXW_BAR_NONE = 0, RXW_BAR_MEM32 = 1, RXW_BAR_MEM64 = 2, RXW_BAR_PORT = 3 };

/* SetFeatureInfo payload: Msi{multi_message_enable: Option<u8>,
 * message_address_and_data: Option<{u64 address, u32 data}>, mask_bits:
 * Option<u32>} or MsiX{function_mask: Option<bool>}. */
struct rxw_set_feature {
	rx_u32 feature; /* RXW_FEAT_* */
	rx_u8 has_mme, mme;
	rx_u8 has_addr_data;
	rx_u64 addr;
	rx_u32 data;
	rx_u8 has_mask;
	rx_u32 mask;
	rx_u8 has_fmask, fmask; /* MsiX */
};

struct rxw_req {
	rx_u32 tag;	  /* RXW_REQ_* */
	rx_u32 feature;	  /* ENABLE_FEATURE, FEATURE_INFO */
	rx_u16 offset;	  /* READ_CONFIG, WRITE_CONFIG */
	rx_u32 value;	  /* WRITE_CONFIG */
	struct rxw_set_feature set; /* SET_FEATURE_INFO */
};

struct rxw_bar {
	rx_u32 tag; /* RXW_BAR_* */
	rx_u64 addr, size; /* MEM32/MEM64 (32-bit values widened); PORT: addr = port */
};

/* PciFunction, the Config response body. */
struct rxw_config {
	rx_u16 segment;
	rx_u8 bus, dev, func;
	struct rxw_bar bars[6];
	rx_u8 has_rom;
	rx_u32 rom_addr, rom_size;
	rx_u8 rom_enabled;
	rx_u8 has_legacy_irq;
	rx_u8 legacy_irq;
	rx_u8 has_irq_phandle; /* Option<(u32,[u32;3],u64)>: device tree data, x86 sends None */
	rx_u32 phandle;
	rx_u32 phandle_spec[3];
	rx_u64 phandle_extra;
	rx_u16 vendor, device;
	rx_u8 class_code, subclass, interface, revision;
};

#define RXW_MAX_FEATURES 4
#define RXW_MAX_VCAPS 8
#define RXW_MAX_VCAP_LEN 256

struct rxw_resp {
	rx_u32 tag; /* RXW_RESP_* */
	struct rxw_config config;			     /* CONFIG */
	rx_u32 nfeatures, features[RXW_MAX_FEATURES];	     /* ALL_FEATURES */
	rx_u32 nvcaps, vcap_len[RXW_MAX_VCAPS];		     /* VENDOR_CAPS */
	rx_u8 vcap[RXW_MAX_VCAPS][RXW_MAX_VCAP_LEN];
	rx_u32 feature;					     /* FEATURE_ENABLED, _STATUS, _INFO, SET_FEATURE_INFO */
	rx_u32 status;					     /* FEATURE_STATUS: 0 Enabled, 1 Disabled */
	rx_u32 error, error_feature;			     /* ERROR: RXW_ERR_*, feature for NONEXISTENT */
	/* FEATURE_INFO: Msi{u8 log2_multiple_message_capable, bool is_64bit,
	 * bool has_per_vector_masking} or MsiX{u8 table_bar, u32
	 * table_offset, u16 table_size, u8 pba_bar, u32 pba_offset}. */
	rx_u8 msi_mmc, msi_64, msi_pvm;
	rx_u8 msix_table_bar, msix_pba_bar;
	rx_u32 msix_table_offset, msix_pba_offset;
	rx_u16 msix_table_size;
	rx_u32 value;					     /* READ_CONFIG */
};

/* Encoders return the number of bytes written, or -RX_ENOSPC when cap is
 * too small, -RX_EINVAL for a value that has no encoding.  Decoders return
 * the number of bytes consumed (which must equal the body length: callers
 * treat a shorter parse as an error), or -RX_EINVAL with *why set to a
 * static message naming the message and the field ("Config: bar 3 has
 * unknown tag 7", "response body ends inside FeatureInfo(MsiX)"). */
long rxw_encode_req(const struct rxw_req *req, rx_u8 *buf, rx_size cap);
long rxw_decode_req(const rx_u8 *buf, rx_size len, struct rxw_req *req, const char **why);
long rxw_encode_resp(const struct rxw_resp *resp, rx_u8 *buf, rx_size cap); /* with the 8-byte length */
long rxw_decode_resp(const rx_u8 *body, rx_size len, struct rxw_resp *resp, const char **why);
/* The same on a whole frame (8-byte length + body): -RX_EINVAL when the
 * length prefix does not equal len - 8; returns len on success. */
long rxw_decode_resp_framed(const rx_u8 *buf, rx_size len, struct rxw_resp *resp, const char **why);

/* "EnableDevice", "ReadConfig", ... for messages and logs. */
const char *rxw_req_name(rx_u32 tag);
const char *rxw_resp_name(rx_u32 tag);

#endif /* RX_PCID_WIRE_H */
