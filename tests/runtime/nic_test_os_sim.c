/* nic_test_os_sim.c: nic_test_os.h on the sim host - the driver's netdev is
 * the sim's netif 0; frames are injected/popped on its queues and its
 * carrier is the last kpi_host_net_link state.  Linked into ported daemons
 * built with KPI_HOST=sim (tests/runtime_nic_models.cmake). */
#include "nic_test_os.h"
#include "sim.h"

const char *nt_os_name(void)
{
	return "sim";
}

int nt_os_up(void)
{
	return sim_ready_count() > 0 && sim_net_mac(0) != 0;
}

const uint8_t *nt_os_mac(void)
{
	return sim_net_mac(0);
}

int nt_os_send(const void *frame, size_t len)
{
	return sim_net_inject(0, frame, len);
}

int nt_os_recv(void *buf, size_t cap)
{
	int n = sim_net_pop(0, buf, cap);
	return n < 0 ? 0 : n;
}

int nt_os_link(void)
{
	int l = sim_net_link(0);
	return l < 0 ? 0 : l;
}

int nt_os_closed(void)
{
	return sim_net_mac(0) == 0;
}
