static const char *const names[] = { "x" };
static const struct fz_device_id fz[] = {
	{ "abcdefg", -3, -32768, FUZZ_A, ~0ULL, names },
	{ .name = "q", .level = 200, .s = 70000, .kind = FUZZ_C, .wide = 1ULL << 63 },
	{ { 'a', 'b', 0 }, .kind = (enum fuzz_kind)3 },
	{}
};
MODULE_DEVICE_TABLE(fz, fz);
int strlen = 3;
static char *name = "eth0";
module_param(name, charp, 0);
