static const struct pci_device_id ids[] = {
	{ PCI_DEVICE(0x10ec, 0x8139), .driver_data = 1 },
	{ 0x8086, 0x100e, PCI_ANY_ID, PCI_ANY_ID, 0, 0, 2 },
	{ PCI_DEVICE_CLASS(0x020000, 0xffff00) },
	{ .vendor = 0x1af4, .device = 0x1000 + 5, .driver_data = (kernel_ulong_t)-1 },
	{ 0, }
};
MODULE_DEVICE_TABLE(pci, ids);
static int debug = 1;
module_param(debug, int, 0644);
MODULE_PARM_DESC(debug, "Debug level");
static int opts[4], nopts;
module_param_array(opts, int, &nopts, 0);
MODULE_LICENSE("GPL");
static int drv_init(void) { return debug; }
static void drv_exit(void) { }
module_init(drv_init);
module_exit(drv_exit);
