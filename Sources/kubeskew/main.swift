import KubeskewCLI

await Kubeskew.main()
