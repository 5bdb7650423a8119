/* kpi_host.h: the whole narrow host interface between the kpiport runtime
 * (runtime/kit + runtime/lx) and the operating system it runs on, in four
 * parts along its seams: kpi_host_core.h (process, time, events, signals,
 * stacks, sandbox), kpi_host_pci.h (PCI, interrupts, DMA, firmware),
 * kpi_host_net.h (network export) and kpi_host_display.h (DRM devices served
 * to the OS; optional).  One backend per host implements them:
 * runtime/host/redox (the product), runtime/host/linux, runtime/host/sim. */
#ifndef KPI_HOST_H
#define KPI_HOST_H

#include "kpi_host_core.h"
#include "kpi_host_display.h"
#include "kpi_host_net.h"
#include "kpi_host_pci.h"

#endif /* KPI_HOST_H */
