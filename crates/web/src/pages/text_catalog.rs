//! Every text of the merchant's pages, in each locale we ship: (key, en-us, fr-fr). A client
//! may replace any of them per locale (`PATCH /sync/commerce/config/ui/text`). `{name}` marks
//! a value filled in by the page.

pub const CATALOG: &[(&str, &str, &str)] = &[
    // Frame
    (
        "flow.title",
        "Connect your accounting",
        "Connectez votre comptabilité",
    ),
    ("skip", "Skip to the content", "Aller au contenu"),
    ("lang.other", "Français", "English"),
    ("lang.label", "Language", "Langue"),
    (
        "progress.label",
        "Step {n} of {total}",
        "Étape {n} sur {total}",
    ),
    ("progress.nav", "Progress", "Progression"),
    (
        "button.continue",
        "Save and continue",
        "Enregistrer et continuer",
    ),
    ("button.next", "Continue", "Continuer"),
    ("button.back", "Back", "Retour"),
    (
        "button.save",
        "Save changes",
        "Enregistrer les modifications",
    ),
    (
        "button.finish",
        "Finish and turn on syncing",
        "Terminer et activer la synchronisation",
    ),
    ("field.choose", "Choose…", "Choisissez…"),
    ("field.required", "required", "obligatoire"),
    ("field.optional", "optional", "facultatif"),
    (
        "errors.summary",
        "Please correct the following:",
        "Veuillez corriger les points suivants :",
    ),
    (
        "errors.otherStage",
        "The step “{stage}” needs attention.",
        "L’étape « {stage} » demande votre attention.",
    ),
    // Stages
    ("stage.commerce", "Sales source", "Source des ventes"),
    (
        "stage.accounting",
        "Accounting software",
        "Logiciel de comptabilité",
    ),
    ("stage.sales", "Sales", "Ventes"),
    ("stage.fees", "Fees", "Frais"),
    ("stage.payments", "Payments", "Paiements"),
    ("stage.schedule", "Schedule", "Planification"),
    // Commerce
    (
        "commerce.heading",
        "Your sales from {client}",
        "Vos ventes depuis {client}",
    ),
    (
        "commerce.connected",
        "{client} is connected: your orders, payments and fees reach us from it every day.",
        "{client} est connecté : vos commandes, paiements et frais nous parviennent chaque jour par ce biais.",
    ),
    // Accounting
    (
        "accounting.choose",
        "Choose your accounting software",
        "Choisissez votre logiciel de comptabilité",
    ),
    (
        "accounting.explain",
        "You will sign in to {platform} and allow us to write your daily sales into your books, then come back here.",
        "Vous allez vous connecter à {platform} et nous autoriser à inscrire vos ventes quotidiennes dans votre comptabilité, puis vous reviendrez ici.",
    ),
    (
        "accounting.connect",
        "Connect to {platform}",
        "Se connecter à {platform}",
    ),
    (
        "accounting.connected",
        "Connected to {organisation} in {platform}.",
        "Connecté à {organisation} dans {platform}.",
    ),
    (
        "accounting.reading",
        "We are reading your accounts, tax rates and contacts from {platform}. This takes a few seconds.",
        "Nous lisons vos comptes, taux de taxe et contacts dans {platform}. Cela prend quelques secondes.",
    ),
    ("accounting.refresh", "Check again", "Vérifier à nouveau"),
    (
        "accounting.failed",
        "We could not read your books from {platform}: {reason}",
        "Nous n’avons pas pu lire votre comptabilité dans {platform} : {reason}",
    ),
    ("accounting.retry", "Try again", "Réessayer"),
    (
        "accounting.deauthorized",
        "{platform} no longer lets us in. Connect again to carry on.",
        "{platform} ne nous donne plus accès. Reconnectez-vous pour continuer.",
    ),
    (
        "accounting.cancelled",
        "{platform} was not connected. You can try again.",
        "{platform} n’a pas été connecté. Vous pouvez réessayer.",
    ),
    (
        "accounting.unavailable",
        "{platform} cannot be connected from here yet.",
        "{platform} ne peut pas encore être connecté depuis cette page.",
    ),
    // Sales
    (
        "sales.heading",
        "How your sales are recorded",
        "Comment vos ventes sont enregistrées",
    ),
    ("sales.sync", "Record my sales", "Enregistrer mes ventes"),
    (
        "sales.output",
        "How should sales be written?",
        "Sous quelle forme inscrire les ventes ?",
    ),
    (
        "output.Documents",
        "Invoices, credit notes and payments",
        "Factures, avoirs et paiements",
    ),
    (
        "output.JournalEntry",
        "One journal entry per day",
        "Une écriture de journal par jour",
    ),
    (
        "output.fixed",
        "This is chosen once and cannot be changed later.",
        "Ce choix est définitif et ne pourra plus être modifié.",
    ),
    (
        "output.chosen",
        "Sales are written as: {mode}. This was chosen once and cannot be changed.",
        "Les ventes sont inscrites sous forme de : {mode}. Ce choix est définitif.",
    ),
    ("sales.accounts", "Accounts for sales", "Comptes de ventes"),
    ("sales.taxRates", "Tax rates", "Taux de taxe"),
    (
        "sales.taxRatesHelp",
        "For each tax rate your shop charges, choose the matching rate in {platform}.",
        "Pour chaque taux appliqué par votre boutique, choisissez le taux correspondant dans {platform}.",
    ),
    ("tax.yourRate", "Your rate", "Votre taux"),
    (
        "tax.booksRate",
        "Rate in {platform}",
        "Taux dans {platform}",
    ),
    (
        "tax.rowLabel",
        "Tax rate for sales at {rate}%",
        "Taux pour les ventes à {rate} %",
    ),
    (
        "sales.invoiceStatus",
        "Status of new invoices",
        "Statut des nouvelles factures",
    ),
    ("status.Draft", "Draft", "Brouillon"),
    (
        "status.Submitted",
        "Submitted for approval",
        "Soumise pour approbation",
    ),
    (
        "sales.customer",
        "Customer your daily sales are invoiced to",
        "Client auquel vos ventes du jour sont facturées",
    ),
    (
        "sales.grouping",
        "Separate invoices by",
        "Séparer les factures par",
    ),
    ("group.Location", "Location", "Point de vente"),
    ("group.Country", "Country", "Pays"),
    // Fees
    ("fees.heading", "Payment fees", "Frais de paiement"),
    (
        "fees.sync",
        "Record payment fees",
        "Enregistrer les frais de paiement",
    ),
    ("fees.accounts", "Accounts for fees", "Comptes de frais"),
    (
        "fees.supplier",
        "Supplier the fees are paid to",
        "Fournisseur auquel les frais sont payés",
    ),
    // Payments
    (
        "payments.heading",
        "Where payments go",
        "Où vont les paiements",
    ),
    (
        "payments.sync",
        "Record payments",
        "Enregistrer les paiements",
    ),
    (
        "payments.accounts",
        "An account for each way of paying",
        "Un compte par moyen de paiement",
    ),
    (
        "payments.seenFirst",
        "The ways of paying your shop has already taken come first.",
        "Les moyens de paiement déjà reçus par votre boutique apparaissent en premier.",
    ),
    (
        "payments.later",
        "Ways of paying you may take later",
        "Moyens de paiement que vous pourriez accepter plus tard",
    ),
    // Schedule
    ("schedule.heading", "When to sync", "Quand synchroniser"),
    ("schedule.startDate", "Start date", "Date de début"),
    (
        "schedule.startHint",
        "Sales from this day on are written to your books.",
        "Les ventes à partir de ce jour sont inscrites dans votre comptabilité.",
    ),
    ("schedule.timeZone", "Time zone", "Fuseau horaire"),
    (
        "schedule.timeZoneHint",
        "Your day closes at midnight in this time zone.",
        "Votre journée se termine à minuit dans ce fuseau horaire.",
    ),
    (
        "schedule.syncHour",
        "Hour of the daily sync",
        "Heure de la synchronisation quotidienne",
    ),
    ("schedule.frequency", "How often", "Fréquence"),
    ("freq.Daily", "Every day", "Chaque jour"),
    ("freq.Monthly", "Every month", "Chaque mois"),
    // Account slots (others show the label the configuration document gives)
    ("slot.sales", "Sales", "Ventes"),
    ("slot.refund", "Refunds", "Remboursements"),
    ("slot.gratuity", "Tips", "Pourboires"),
    ("slot.prepaid", "Gift cards sold", "Cartes cadeaux vendues"),
    (
        "slot.taxLiability",
        "Sales tax owed",
        "Taxe sur les ventes à reverser",
    ),
    (
        "slot.sales-other",
        "Sales: other products",
        "Ventes : autres produits",
    ),
    ("slot.category", "Sales: {name}", "Ventes : {name}"),
    ("slot.card", "Card", "Carte"),
    ("slot.cash", "Cash", "Espèces"),
    (
        "slot.payout",
        "Payouts to your bank",
        "Versements sur votre compte bancaire",
    ),
    ("slot.invoice", "Invoice", "Facture"),
    ("slot.onlineCard", "Online card", "Carte en ligne"),
    ("slot.swish", "Swish", "Swish"),
    ("slot.vipps", "Vipps", "Vipps"),
    ("slot.mobile", "Mobile", "Paiement mobile"),
    ("slot.storeCredit", "Store credit", "Avoir en boutique"),
    ("slot.paypal", "PayPal", "PayPal"),
    ("slot.custom", "Other", "Autre"),
    (
        "slot.prepaidPayment",
        "Gift cards redeemed",
        "Cartes cadeaux utilisées",
    ),
    (
        "slot.unknown",
        "Unknown way of paying",
        "Moyen de paiement inconnu",
    ),
    ("slot.paymentFee", "Payment fees", "Frais de paiement"),
    (
        "slot.paymentFeeRefund",
        "Refunded payment fees",
        "Frais de paiement remboursés",
    ),
    // Creating what the books lack
    (
        "create.account",
        "Create a new account",
        "Créer un nouveau compte",
    ),
    (
        "create.customer",
        "Create a new customer",
        "Créer un nouveau client",
    ),
    (
        "create.supplier",
        "Create a new supplier",
        "Créer un nouveau fournisseur",
    ),
    ("create.name", "Name", "Nom"),
    ("create.code", "Code (optional)", "Code (facultatif)"),
    (
        "create.button",
        "Create and select",
        "Créer et sélectionner",
    ),
    (
        "create.done",
        "“{name}” was created in {platform} and selected.",
        "« {name} » a été créé dans {platform} et sélectionné.",
    ),
    (
        "create.failed",
        "{platform} did not create it: {reason}",
        "{platform} ne l’a pas créé : {reason}",
    ),
    // Validation, in plain words
    (
        "error.account.required",
        "Choose an account for “{label}”.",
        "Choisissez un compte pour « {label} ».",
    ),
    (
        "error.option",
        "This choice is not in your books any more: choose another one.",
        "Ce choix n’existe plus dans votre comptabilité : choisissez-en un autre.",
    ),
    (
        "error.tax_rate.missing",
        "Choose the rate in your books for these sales.",
        "Choisissez le taux de votre comptabilité pour ces ventes.",
    ),
    (
        "error.sales.customer_missing",
        "Choose the customer your sales are invoiced to, or create one.",
        "Choisissez le client auquel vos ventes sont facturées, ou créez-le.",
    ),
    (
        "error.fees.supplier_missing",
        "Choose the supplier your fees are paid to, or create one.",
        "Choisissez le fournisseur auquel vos frais sont payés, ou créez-le.",
    ),
    (
        "error.sales.invoice_status_missing",
        "Choose a status for new invoices.",
        "Choisissez un statut pour les nouvelles factures.",
    ),
    (
        "error.schedule.start_date_missing",
        "Enter the first day to sync.",
        "Indiquez le premier jour à synchroniser.",
    ),
    (
        "error.schedule.start_date_invalid",
        "Enter the start date as a day, for example 2026-12-01.",
        "Indiquez la date de début sous la forme 2026-12-01.",
    ),
    (
        "error.schedule.start_date_backdated",
        "The start date cannot move before days already synced.",
        "La date de début ne peut pas précéder des jours déjà synchronisés.",
    ),
    (
        "error.date.out_of_range",
        "Choose a date between 2000 and 2100.",
        "Choisissez une date entre 2000 et 2100.",
    ),
    (
        "error.schedule.time_zone_unknown",
        "Choose a time zone from the list.",
        "Choisissez un fuseau horaire dans la liste.",
    ),
    (
        "error.schedule.sync_hour_out_of_range",
        "Choose an hour between 0 and 23.",
        "Choisissez une heure entre 0 et 23.",
    ),
    (
        "error.account.card_same_as_payout",
        "Card payments and payouts need different accounts: choose another one.",
        "Les paiements par carte et les versements doivent aller sur des comptes différents : choisissez-en un autre.",
    ),
    (
        "error.payments.draft_invoices",
        "Payments cannot be recorded on draft invoices: set new invoices to “Submitted”, or do not record payments.",
        "Les paiements ne peuvent pas être enregistrés sur des factures en brouillon : choisissez « Soumise pour approbation » ou n’enregistrez pas les paiements.",
    ),
    (
        "error.fees.payments_missing",
        "Fees are taken from payments: record payments too, or do not record fees.",
        "Les frais sont prélevés sur les paiements : enregistrez aussi les paiements, ou n’enregistrez pas les frais.",
    ),
    (
        "error.payments.type_unmapped",
        "Your shop has taken this way of paying: choose an account for it.",
        "Votre boutique a reçu ce moyen de paiement : choisissez un compte pour lui.",
    ),
    (
        "error.connections",
        "Connect your accounting software first.",
        "Connectez d’abord votre logiciel de comptabilité.",
    ),
    (
        "error.other",
        "This does not fit your books: {message}",
        "Ce choix ne convient pas à votre comptabilité : {message}",
    ),
    // Settings
    (
        "settings.heading",
        "Your sync settings",
        "Vos réglages de synchronisation",
    ),
    (
        "settings.on",
        "Syncing is on.",
        "La synchronisation est activée.",
    ),
    (
        "settings.off",
        "Syncing is off: nothing is written to your books.",
        "La synchronisation est désactivée : rien n’est inscrit dans votre comptabilité.",
    ),
    (
        "settings.offWhy",
        "It stopped itself after {days} days of failures.",
        "Elle s’est arrêtée d’elle-même après {days} jours d’échecs.",
    ),
    (
        "settings.turnOn",
        "Turn syncing on",
        "Activer la synchronisation",
    ),
    (
        "settings.turnOff",
        "Turn syncing off",
        "Désactiver la synchronisation",
    ),
    ("settings.lastSync", "Last sync", "Dernière synchronisation"),
    (
        "settings.nextSync",
        "Next sync",
        "Prochaine synchronisation",
    ),
    (
        "settings.nextSyncValue",
        "{due} ({zone}), for sales from {from} to {to}",
        "{due} ({zone}), pour les ventes du {from} au {to}",
    ),
    ("settings.none", "None yet", "Aucune pour l’instant"),
    (
        "settings.history",
        "Sync history",
        "Historique des synchronisations",
    ),
    ("history.period", "Sales of", "Ventes du"),
    ("history.status", "Result", "Résultat"),
    ("history.when", "Run at", "Exécutée le"),
    ("history.problem", "What to do", "Que faire"),
    ("settings.mapping", "Your choices", "Vos choix"),
    (
        "settings.change",
        "Change “{stage}”",
        "Modifier « {stage} »",
    ),
    ("settings.books", "Your books", "Votre comptabilité"),
    (
        "settings.reread",
        "Read accounts again from {platform}",
        "Relire les comptes dans {platform}",
    ),
    (
        "settings.rereadDone",
        "Your accounts are being read again from {platform}.",
        "Vos comptes sont relus dans {platform}.",
    ),
    (
        "settings.disconnect",
        "Disconnect {platform}",
        "Déconnecter {platform}",
    ),
    (
        "settings.disconnectExplain",
        "After this, nothing more is written to your books until you connect again.",
        "Ensuite, plus rien n’est inscrit dans votre comptabilité tant que vous ne vous reconnectez pas.",
    ),
    (
        "settings.disconnected",
        "{platform} is disconnected: nothing more is written to your books.",
        "{platform} est déconnecté : plus rien n’est inscrit dans votre comptabilité.",
    ),
    (
        "settings.saved",
        "Your changes are saved.",
        "Vos modifications sont enregistrées.",
    ),
    (
        "settings.done",
        "All set: your sales are written to {platform} every day.",
        "C’est prêt : vos ventes sont inscrites chaque jour dans {platform}.",
    ),
    ("settings.return", "Back to {client}", "Retour à {client}"),
    // Sync status codes, in plain words
    ("sync.1000", "Running", "En cours"),
    (
        "sync.1010",
        "Running for over ten minutes",
        "En cours depuis plus de dix minutes",
    ),
    (
        "sync.2000",
        "Done: sales written",
        "Terminée : ventes inscrites",
    ),
    (
        "sync.2040",
        "Done: nothing to write",
        "Terminée : rien à inscrire",
    ),
    (
        "sync.4000",
        "Your settings need attention",
        "Vos réglages sont à corriger",
    ),
    (
        "sync.4040",
        "This company was deleted",
        "Cette société a été supprimée",
    ),
    (
        "sync.4220",
        "Access to your books was withdrawn: connect again",
        "L’accès à votre comptabilité a été retiré : reconnectez-vous",
    ),
    (
        "sync.4260",
        "Your accounting subscription has expired",
        "Votre abonnement de comptabilité a expiré",
    ),
    (
        "sync.5000",
        "Our error: it is retried at the next sync",
        "Erreur de notre côté : nouvelle tentative à la prochaine synchronisation",
    ),
    (
        "sync.5080",
        "Refused: it overlapped another sync",
        "Refusée : elle chevauchait une autre synchronisation",
    ),
    (
        "sync.5120",
        "Your sales data could not be processed",
        "Vos données de ventes n’ont pas pu être traitées",
    ),
    (
        "sync.5130",
        "Your books refused a document",
        "Votre comptabilité a refusé un document",
    ),
    // Refusals
    (
        "refused.expired.title",
        "This link has expired",
        "Ce lien a expiré",
    ),
    (
        "refused.used.title",
        "This link was already used",
        "Ce lien a déjà été utilisé",
    ),
    (
        "refused.invalid.title",
        "This link is not valid",
        "Ce lien n’est pas valide",
    ),
    (
        "refused.link.text",
        "Links work once, for 30 seconds. Go back to the service that sent you and open the sync settings again.",
        "Les liens ne fonctionnent qu’une fois, pendant 30 secondes. Revenez sur le service qui vous a envoyé ici et ouvrez à nouveau les réglages de synchronisation.",
    ),
    (
        "refused.session.title",
        "Your session has ended",
        "Votre session est terminée",
    ),
    (
        "refused.session.text",
        "For your security, sessions end after a while. Open the sync settings again from the service that sent you.",
        "Pour votre sécurité, les sessions se terminent au bout d’un moment. Ouvrez à nouveau les réglages de synchronisation depuis le service qui vous a envoyé ici.",
    ),
    (
        "refused.other.title",
        "This page belongs to another merchant",
        "Cette page appartient à un autre commerçant",
    ),
    (
        "refused.form.title",
        "This form has expired",
        "Ce formulaire a expiré",
    ),
    (
        "refused.form.text",
        "Go back, reload the page and send it again.",
        "Revenez en arrière, rechargez la page et envoyez-la à nouveau.",
    ),
    (
        "refused.error.title",
        "Something went wrong on our side",
        "Un problème est survenu de notre côté",
    ),
    (
        "refused.error.text",
        "Please try again in a moment.",
        "Veuillez réessayer dans un instant.",
    ),
];
