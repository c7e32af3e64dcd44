import DemarcCore
import DemarcReaders
import DemarcRules
