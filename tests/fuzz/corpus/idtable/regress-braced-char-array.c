/* regression: libclang crashed evaluating a braced char array initializer */
static const struct fz_device_id fz[] = {
	{ { 'a', 'b', 0 }, 1 },
	{ .name = { 1 } },
	{}
};
MODULE_DEVICE_TABLE(fz, fz);
