import DemarcCLI

Demarc.runMain()
