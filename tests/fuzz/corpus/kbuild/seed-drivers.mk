obj-$(CONFIG_NETWORKING) += net/
obj-y += misc/ two/
obj-$(CONFIG_SUBSYS) += sub/
