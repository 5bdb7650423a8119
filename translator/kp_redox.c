/* kp_redox.c: a port's Redox packaging (see kp_redox.h): the pcid.d
 * config from the driver's PCI ID table, the cookbook recipe, and the
 * notes on Redox's own drivers for the same devices. */
#define _GNU_SOURCE
#include "kp_redox.h"
#include "kp_util.h"

#include <stdlib.h>
#include <string.h>

/* Redox base 9dd6901d: each driver's config.toml under drivers/ (installed as
 * /usr/lib/pcid.d/<driver>.toml by the base Makefile) and
 * drivers/initfs.toml (read by the initfs pcid-spawner, which runs first). */
static const unsigned short e1000d_ids[] = {0x1004, 0x100e, 0x100f, 0x109a, 0x1503, 0};
static const unsigned short rtl8139d_ids[] = {0x8139, 0};
static const unsigned short rtl8168d_ids[] = {0x8168, 0x8169, 0};
static const unsigned short ixgbed_ids[] = {
	0x10F7, 0x1514, 0x1517, 0x151C, 0x10F9, 0x10FB, 0x152a, 0x1529, 0x1507, 0x154D, 0x1557, 0x10FC, 0x10F8, 0x154F,
	0x1528, 0x154A, 0x1558, 0x1560, 0x1563, 0x15D1, 0x15AA, 0x15AB, 0x15AC, 0x15AD, 0x15AE, 0x15B0, 0x15C2, 0x15C3,
	0x15C4, 0x15C6, 0x15C7, 0x15C8, 0x15CE, 0x15E4, 0x15E5, 0x10ED, 0x1515, 0x1565, 0x15A8, 0x15C5, 0};
static const unsigned short ihdgd_ids[] = {
	0x5912, 0x5916, 0x591B, 0x591E, 0x5926, 0x9B21, 0x9B41, 0x9BA4, 0x9BAA, 0x9BAC, 0x9BC4, 0x9BC5, 0x9BC6,
	0x9BC8, 0x9BCA, 0x9BCC, 0x9BE6, 0x9BF6, 0x9A40, 0x9A49, 0x9A60, 0x9A68, 0x9A70, 0x9A78, 0x5690, 0x5691,
	0x5692, 0x5693, 0x5694, 0x5696, 0x5697, 0x56A0, 0x56A1, 0x56A5, 0x56A6, 0x56B0, 0x56B1, 0x56B2, 0x56B3,
	0x56C0, 0x56C1, 0};
static const unsigned short virtio_blk_ids[] = {0x1001, 0};
static const unsigned short virtio_gpu_ids[] = {0x1050, 0};
static const unsigned short virtio_net_ids[] = {0x1000, 0};
static const unsigned short vboxd_ids[] = {0xCAFE, 0};

#define INITFS "/scheme/initfs/lib/pcid.d/initfs.toml"
const krx_base_driver krx_base_drivers[] = {
	{INITFS, "ahcid", 0x01, 0x06, -1, 0, NULL},
	{INITFS, "ided", 0x01, 0x01, -1, 0, NULL},
	{INITFS, "nvmed", 0x01, 0x08, -1, 0, NULL},
	{INITFS, "virtio-blkd", 0x01, 0x00, -1, 0x1AF4, virtio_blk_ids},
	{INITFS, "virtio-gpud", 0x03, -1, -1, 0x1AF4, virtio_gpu_ids},
	{"/usr/lib/pcid.d/ac97d.toml", "ac97d", 0x04, 0x01, -1, 0, NULL},
	{"/usr/lib/pcid.d/e1000d.toml", "e1000d", 0x02, -1, -1, 0x8086, e1000d_ids},
	{"/usr/lib/pcid.d/ihdad.toml", "ihdad", 0x04, 0x03, -1, 0, NULL},
	{"/usr/lib/pcid.d/ihdgd.toml", "ihdgd", 0x03, -1, -1, 0x8086, ihdgd_ids},
	{"/usr/lib/pcid.d/ixgbed.toml", "ixgbed", 0x02, -1, -1, 0x8086, ixgbed_ids},
	{"/usr/lib/pcid.d/rtl8139d.toml", "rtl8139d", 0x02, -1, -1, 0x10ec, rtl8139d_ids},
	{"/usr/lib/pcid.d/rtl8168d.toml", "rtl8168d", 0x02, -1, -1, 0x10ec, rtl8168d_ids},
	{"/usr/lib/pcid.d/vboxd.toml", "vboxd", 0x08, -1, -1, 0x80EE, vboxd_ids},
	{"/usr/lib/pcid.d/virtio-netd.toml", "virtio-netd", 0x02, -1, -1, 0x1AF4, virtio_net_ids},
	{"/usr/lib/pcid.d/xhcid.toml", "xhcid", 0x0C, 0x03, 0x30, 0, NULL},
	{NULL, NULL, 0, 0, 0, 0, NULL},
};

/* The class fields an ID entry pins (class_mask bytes that are 0xff). */
static void class_fields(ku_buf *b, const krx_pci_id *id, const char *prefix)
{
	if ((id->class_mask >> 16 & 0xff) == 0xff)
		ku_buf_printf(b, "%sclass = 0x%02x\n", prefix, id->class_code >> 16 & 0xff);
	if ((id->class_mask >> 8 & 0xff) == 0xff)
		ku_buf_printf(b, "%ssubclass = 0x%02x\n", prefix, id->class_code >> 8 & 0xff);
	if ((id->class_mask & 0xff) == 0xff)
		ku_buf_printf(b, "%sinterface = 0x%02x\n", prefix, id->class_code & 0xff);
}

static int pins_class(const krx_pci_id *id)
{
	return (id->class_mask >> 16 & 0xff) == 0xff;
}

/* One entry other than the exact-id one; `why` non-NULL: commented out. */
static void entry(ku_buf *b, const char *module, const char *ver, const krx_pci_id *id, const char *why)
{
	const char *c = why ? "# " : "";
	ku_buf t = {0};
	if (why)
		ku_buf_printf(&t, "\n# Left out: %s.\n", why);
	else
		ku_buf_putc(&t, '\n');
	ku_buf_printf(&t, "%s[[drivers]]\n%sname = \"%s (kpiport, Linux %s)\"\n", c, c, module, ver);
	class_fields(&t, id, c);
	if (id->vendor != KRX_ANY)
		ku_buf_printf(&t, "%svendor = 0x%04x\n", c, id->vendor);
	if (id->device != KRX_ANY)
		ku_buf_printf(&t, "%sdevice = 0x%04x\n", c, id->device);
	ku_buf_printf(&t, "%scommand = [\"/usr/lib/drivers/kpiport-%s\"]\n", c, module);
	if (!strstr(ku_buf_str(b), t.s)) /* entries differing only in subsystem ids collapse */
		ku_buf_puts(b, t.s);
	ku_buf_free(&t);
}

/* Is device id in the 0-terminated list (NULL: any)? */
static int has_device(const unsigned short *list, unsigned id)
{
	if (!list)
		return 1;
	for (; *list; list++)
		if (*list == id)
			return 1;
	return 0;
}

/* Which of our active entries' devices the base driver d would also take:
 * appended to `which` as "8086:100e"; returns how many. */
static int overlap(const krx_base_driver *d, const krx_pci_id *ids, size_t n, ku_strv *which)
{
	int count = 0;
	for (size_t i = 0; i < n; i++) {
		const krx_pci_id *id = &ids[i];
		if (id->vendor == KRX_ANY || (id->device == KRX_ANY && !pins_class(id)))
			continue; /* left out of the config */
		if (d->vendor && id->vendor != d->vendor)
			continue;
		if (id->device != KRX_ANY && !has_device(d->devices, id->device))
			continue;
		if (id->device == KRX_ANY && d->devices)
			continue;
		if (pins_class(id) && d->class_code >= 0 && (int)(id->class_code >> 16 & 0xff) != d->class_code)
			continue;
		if (!d->vendor && !pins_class(id))
			continue; /* a class-only driver and an id with no class: unknown, not listed */
		char *s = id->device == KRX_ANY ? ku_printf("%04x:* class %02x", id->vendor, id->class_code >> 16 & 0xff)
						: ku_printf("%04x:%04x", id->vendor, id->device);
		if (!ku_strv_has(which, s)) {
			ku_strv_push(which, s);
			count++;
		}
		free(s);
	}
	return count;
}

static char *notes(const char *module, const char *file, const krx_pci_id *ids, size_t n)
{
	ku_buf b = {0};
	ku_buf_printf(&b, "pcid-spawner reads `/usr/lib/pcid.d` and `/etc/pcid.d` in file-name order and gives "
			  "each device to the first entry that matches; the initfs drivers are spawned "
			  "before either is read.  This port's config is `%s` (installed by "
			  "`redox/recipe.toml` into `/usr/lib/pcid.d`).\n\n",
		      file);
	int any = 0;
	for (const krx_base_driver *d = krx_base_drivers; d->file; d++) {
		ku_strv which = {0};
		if (!overlap(d, ids, n, &which)) {
			ku_strv_free(&which);
			continue;
		}
		any = 1;
		ku_buf list = {0}, cls = {0};
		if (d->class_code >= 0)
			ku_buf_printf(&cls, " (those of class 0x%02x, which `%s` requires)", d->class_code, d->name);
		for (size_t i = 0; i < which.n; i++)
			ku_buf_printf(&list, "%s`%s`", i ? ", " : "", which.v[i]);
		const char *base = ku_basename(d->file);
		if (!strcmp(d->file, INITFS))
			ku_buf_printf(&b, "- Redox's `%s` (initfs) also matches %s: it is spawned from the initfs "
					  "first and keeps them; the port drives them only on a system without it.\n",
				      d->name, list.s);
		else if (strcmp(base, file) < 0)
			ku_buf_printf(&b, "- Redox's `%s` (`%s`) also matches %s%s: `%s` sorts before `%s`, so "
					  "`%s` keeps them.  To give them to the port, install its config as "
					  "`/etc/pcid.d/00-%s`.\n",
				      d->name, d->file, list.s, ku_buf_str(&cls), base, file, d->name, file);
		else
			ku_buf_printf(&b, "- Redox's `%s` (`%s`) also matches %s%s: `%s` sorts before `%s`, so "
					  "the port takes them from it.\n",
				      d->name, d->file, list.s, ku_buf_str(&cls), file, base);
		ku_buf_free(&list), ku_buf_free(&cls);
		ku_strv_free(&which);
	}
	if (!any)
		ku_buf_printf(&b, "- No Redox driver of base 9dd6901d matches these devices: the port "
				  "drives them.\n");
	(void)module;
	return b.s;
}

static char *recipe(const char *module, const char *ver, const char *file)
{
	return ku_printf(
		"# redox/recipe.toml: a Redox cookbook recipe, generated by kpiport, that builds the\n"
		"# kpiport-%s daemon (%s, ported from Linux %s) with the cookbook's Redox toolchain and\n"
		"# installs it as /usr/lib/drivers/kpiport-%s with its pcid-spawner config\n"
		"# /usr/lib/pcid.d/%s.\n"
		"#\n"
		"# Use it on the machine where `kpiport port` made this dir (kpiport-paths.cmake and\n"
		"# kbuild/ name this machine's kpiport sources and kernel build dir):\n"
		"#   mkdir -p cookbook/recipes/wip/kpiport-%s\n"
		"#   cp -r <this port dir> cookbook/recipes/wip/kpiport-%s/source\n"
		"#   cp <this port dir>/redox/recipe.toml cookbook/recipes/wip/kpiport-%s/\n"
		"# then add kpiport-%s to your filesystem config.  The build runs clang-19 with\n"
		"# --target=x86_64-unknown-redox and links with the cookbook's x86_64-unknown-redox-gcc\n"
		"# (kpiport's cmake/KpiRedoxToolchain.cmake finds it on PATH).\n"
		"\n"
		"[build]\n"
		"template = \"custom\"\n"
		"script = '''\n"
		"cmake -S \"${COOKBOOK_SOURCE}\" -B kpiport-build -DKPI_HOST=redox -DCMAKE_BUILD_TYPE=RelWithDebInfo\n"
		"cmake --build kpiport-build -j \"${COOKBOOK_MAKE_JOBS}\"\n"
		"DESTDIR=\"${COOKBOOK_STAGE}\" cmake --install kpiport-build\n"
		"'''\n",
		module, module, ver, module, file, module, module, module, module);
}

void krx_package(const char *module, const char *linux_version, const krx_pci_id *ids, size_t n, krx_pkg *out)
{
	memset(out, 0, sizeof *out);
	out->pcid_file = ku_printf("kpiport-%s.toml", module);
	ku_buf exact = {0}, rest = {0};
	ku_strv vendors = {0};
	for (size_t i = 0; i < n; i++) {
		const krx_pci_id *id = &ids[i];
		int cls = pins_class(id);
		if (id->vendor != KRX_ANY && id->device != KRX_ANY && !id->class_mask) {
			char *v = ku_printf("0x%04x", id->vendor);
			ku_strv_push_unique(&vendors, v);
			free(v);
		} else if (id->vendor == KRX_ANY && id->device == KRX_ANY && !cls) {
			entry(&rest, module, linux_version, id, "an entry with no vendor, device or class "
								  "would take every PCI function");
		} else if (id->vendor == KRX_ANY && id->device != KRX_ANY) {
			char *why = ku_printf("no vendor: it would take device 0x%04x of every vendor "
					      "(pcid-spawner matches `device` alone across vendors)", id->device);
			entry(&rest, module, linux_version, id, why);
			free(why);
		} else if (id->device == KRX_ANY && !cls) {
			char *why = ku_printf("no device and no class: it would take every device of vendor "
					      "0x%04x", id->vendor);
			entry(&rest, module, linux_version, id, why);
			free(why);
		} else {
			entry(&rest, module, linux_version, id, NULL);
		}
	}
	if (!n) {
		out->recipe = recipe(module, linux_version, out->pcid_file);
		out->notes = ku_strdup("The driver has no PCI ID table: no pcid-spawner config.\n");
		return;
	}
	ku_strv_sort(&vendors);
	if (vendors.n) {
		ku_buf_printf(&exact, "\n[[drivers]]\nname = \"%s (kpiport, Linux %s)\"\nids = { ", module, linux_version);
		for (size_t v = 0; v < vendors.n; v++) {
			ku_buf_printf(&exact, "%s\"%s\" = [", v ? ", " : "", vendors.v[v]);
			ku_strv devs = {0};
			for (size_t i = 0; i < n; i++) {
				char *vv = ku_printf("0x%04x", ids[i].vendor);
				if (!strcmp(vv, vendors.v[v]) && ids[i].device != KRX_ANY && !ids[i].class_mask) {
					char *d = ku_printf("0x%04x", ids[i].device);
					ku_strv_push_unique(&devs, d); /* subsystem variants collapse */
					free(d);
				}
				free(vv);
			}
			for (size_t k = 0; k < devs.n; k++)
				ku_buf_printf(&exact, "%s%s", k ? ", " : "", devs.v[k]);
			ku_buf_puts(&exact, "]");
			ku_strv_free(&devs);
		}
		ku_buf_printf(&exact, " }\ncommand = [\"/usr/lib/drivers/kpiport-%s\"]\n", module);
	}
	out->pcid_toml = ku_printf(
		"# pcid-spawner config for kpiport-%s (ported from Linux %s), generated by kpiport from\n"
		"# the driver's PCI device ID table.  pcid-spawner cannot match subsystem ids: entries\n"
		"# that differ only in them are one here, and the driver's probe decides.  Where this\n"
		"# file sorts against Redox's own drivers: report.md, \"Redox packaging\".\n%s%s",
		module, linux_version, ku_buf_str(&exact), ku_buf_str(&rest));
	out->recipe = recipe(module, linux_version, out->pcid_file);
	out->notes = notes(module, out->pcid_file, ids, n);
	ku_buf_free(&exact), ku_buf_free(&rest);
	ku_strv_free(&vendors);
}

void krx_pkg_free(krx_pkg *pkg)
{
	free(pkg->pcid_file), free(pkg->pcid_toml), free(pkg->recipe), free(pkg->notes);
	memset(pkg, 0, sizeof *pkg);
}
