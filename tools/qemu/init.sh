#!/bin/busybox sh
# tools/qemu/init.sh: /init of the kpiport QEMU test guest (busybox
# initramfs built by build_image.sh).  Mounts the pseudo filesystems, loads
# the modules listed in /lib/modules/load.list (uio, uio_pci_generic, tun),
# reserves 2 MiB huge pages for DMA, runs the command given after "--" on
# the kernel command line and powers off.  Markers the harness reads:
#   KPI-GUEST-UP uptime=<s>     KPI-GUEST-EXIT rc=<n>
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
for m in $(cat /lib/modules/load.list); do
  insmod "/lib/modules/$m" || echo "KPI-GUEST-WARN insmod $m failed"
done
echo "${KPI_HUGEPAGES:-16}" > /proc/sys/vm/nr_hugepages
echo "KPI-GUEST-UP uptime=$(cut -d' ' -f1 /proc/uptime) hugepages=$(cat /proc/sys/vm/nr_hugepages)"
if [ $# -gt 0 ]; then
  "$@"
  rc=$?
else
  echo "KPI-GUEST-WARN no command given (kernel cmdline: ... -- cmd args)"
  rc=0
fi
echo "KPI-GUEST-EXIT rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
sync
poweroff -f
