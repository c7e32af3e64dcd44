import DemarcCore
