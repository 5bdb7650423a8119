/* nic_test_os_redox.c: nic_test_os.h on the emulated Redox (redox-emu on
 * the sim backing) - the OS is the emulator's netstack stand-in, which
 * opens the daemon's network.* scheme after the readiness byte, reads
 * `mac`, and moves frames through scheme reads and writes.  The scheme has
 * no link-state path (the Redox backend logs carrier changes only), so the
 * carrier is not observable here.  Linked into ported daemons built with
 * KPI_HOST=redox-emu and the sim-backed flavour (tests/runtime_nic_models.cmake). */
#include "nic_test_os.h"
#include "re_emu.h"

const char *nt_os_name(void)
{
	return "redox-emu";
}

int nt_os_up(void)
{
	return re_net_state() == 3;
}

const uint8_t *nt_os_mac(void)
{
	return re_net_state() == 3 ? re_net_mac() : 0;
}

int nt_os_send(const void *frame, size_t len)
{
	return re_net_inject(frame, len);
}

int nt_os_recv(void *buf, size_t cap)
{
	int n = re_net_pop(buf, cap);
	return n < 0 ? 0 : n;
}

int nt_os_link(void)
{
	return -1;
}

int nt_os_closed(void)
{
	return -1;
}
