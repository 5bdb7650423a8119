obj-$(CONFIG_DEEPMOD) += deepmod.o
deepmod-y := deep/deep_main.o deep/deep_util.o
