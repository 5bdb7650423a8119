/* kp_redox.h: a port's Redox packaging - the pcid-spawner config
 * (redox/pcid.d/kpiport-<module>.toml), the cookbook recipe
 * (redox/recipe.toml), and the notes report.md gives on how that config
 * meets Redox's own drivers.
 *
 * pcid-spawner ([B] drivers/pcid-spawner/src/main.rs, config/src/lib.rs,
 * pcid/src/driver_interface/config.rs at 9dd6901d) reads every file of
 * /usr/lib/pcid.d and /etc/pcid.d sorted by name (a file in /etc replaces
 * one of the same name), concatenates them as one TOML document, and gives
 * each function to the FIRST [[drivers]] entry that matches: class,
 * subclass and interface when set, then `ids` (vendor -> devices) or else
 * vendor and device, then device_id_range.  It cannot match subsystem ids.
 * Hence the rules here: the file is named kpiport-<module>.toml (no Redox
 * driver's file has that name, so it replaces none); entries that differ
 * only by subsystem ids collapse; a class filter is written where the ID
 * table gives one; an entry without a vendor would take that device id of
 * EVERY vendor, and one without a device every device of its vendor: both
 * are written commented out, saying whose devices they would take; the
 * command is the absolute path the recipe installs. */
#ifndef KP_REDOX_H
#define KP_REDOX_H

#include <stddef.h>

#define KRX_ANY 0xffffffffu /* PCI_ANY_ID */

typedef struct krx_pci_id {
	unsigned vendor, device, subvendor, subdevice; /* KRX_ANY: any */
	unsigned class_code, class_mask;               /* class << 16 | subclass << 8 | prog-if */
} krx_pci_id;

typedef struct krx_pkg {
	char *pcid_file; /* "kpiport-e1000.toml" */
	char *pcid_toml; /* NULL when the driver has no PCI ID table */
	char *recipe;    /* redox/recipe.toml */
	char *notes;     /* Markdown for report.md: where the config sorts, overlaps */
} krx_pkg;

/* Packaging for module `module` (ported from Linux `linux_version`) with the
 * PCI ID table ids[0..n). */
void krx_package(const char *module, const char *linux_version, const krx_pci_id *ids, size_t n,
		 krx_pkg *out);
void krx_pkg_free(krx_pkg *pkg);

/* Redox's own drivers' pcid.d entries (base 9dd6901d), for the notes and the
 * tests.  Fields as in pcid's DriverConfig; -1 / 0 when absent. */
typedef struct krx_base_driver {
	const char *file;   /* where Redox installs it: "/usr/lib/pcid.d/e1000d.toml" */
	const char *name;   /* its `command` */
	int class_code, subclass, interface; /* -1: any */
	unsigned vendor;    /* 0: any */
	const unsigned short *devices; /* 0-terminated; NULL: any device of vendor */
} krx_base_driver;
extern const krx_base_driver krx_base_drivers[];

#endif
