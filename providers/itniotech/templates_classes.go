package itniotech

// Fixes shared by the template sentences.
const (
	fixTemplateFile = "in the template file"
	fixInConsole    = "herald creates marketing and utility templates: " + consoleOnly
	fixFormHerald   = "herald builds this part of the request itself: report this to herald's maintainers"
)

// templateSentences say what a refusal of template/add or template/query means, with the fix in the terms
// of herald's template file. Codes about the account or the request (authentication, timestamp, IP, system
// exception) keep their sentence from codes, which also holds every code's class.
var templateSentences = map[string]string{
	"-2":   "the template's status does not allow this: see it with herald templates status",
	"-7":   "Itniotech could not parse the template request: " + fixFormHerald,
	"-8":   "Itniotech's parameter check refused the template: keep the header within 60 characters and 1 variable, the body within 1024 characters and 20 variables, and give every variable an example " + fixTemplateFile,
	"-16":  "a template of this name was deleted less than a month ago, and the name cannot be used again yet: change name: " + fixTemplateFile,
	"-18":  "the header's sample file is missing: Itniotech needs an uploaded sample for an image, video or document header, so " + consoleOnly + ", or use a text header",
	"-19":  "the header's sample file is missing: Itniotech needs an uploaded sample for an image, video or document header, so " + consoleOnly + ", or use a text header",
	"-21":  "the header text is too long: keep header: text within 60 characters " + fixTemplateFile,
	"-23":  "a button has no type: " + fixFormHerald,
	"-24":  "the template has too many buttons: keep at most 10 buttons, at most 2 of them links, " + fixTemplateFile,
	"-32":  "Itniotech already has a template with this name and language: see it with herald templates status, or change name: or language: " + fixTemplateFile,
	"-33":  "the template name's format is wrong: write name: with lower-case letters, digits and _ only " + fixTemplateFile,
	"-34":  "the body has two variables next to each other: put words between them " + fixTemplateFile,
	"-37":  "Itniotech could not create the template: try again later, and ask Itniotech's support if it persists",
	"-38":  "Itniotech has no such template: check name: and language: in the template file, or create it with herald templates create",
	"-40":  "the header's sample file is too large: use a smaller one, or " + consoleOnly,
	"-74":  "the language code's format is wrong: write language: as a code such as en or en_US " + fixTemplateFile,
	"-75":  "Itniotech has a template of this name with another category: keep the category: it was created with, or change name: " + fixTemplateFile,
	"-76":  "the template's category is not one Itniotech knows: write category: marketing, utility or authentication " + fixTemplateFile,
	"-77":  "a phone-number button's number is malformed: write it with its country code, digits only",
	"-78":  "Itniotech does not take templates in this language: write language: as one of WhatsApp's template languages, such as en_US, pt_BR or zh_CN, " + fixTemplateFile,
	"-82":  "the body's examples are too long: shorten the example: values (or the CSV cells they come from) so the body stays within 1024 characters once filled",
	"-83":  "the body's examples do not match its variables: give exactly one example per variable (example: in the template file, or --csv)",
	"-84":  "a text or an example is empty: give the header, the body, every button label and every variable's example a value",
	"-86":  "the body has no component type: " + fixFormHerald,
	"-87":  "the footer has no component type: " + fixFormHerald,
	"-88":  "the footer is too long: keep footer: within 60 characters " + fixTemplateFile,
	"-89":  "the template has no components: give it a body " + fixTemplateFile,
	"-90":  "the header has two variables next to each other: keep one variable in the header text " + fixTemplateFile,
	"-91":  "the header text's variables do not match its example, or it has more than one: keep at most one variable in the header, with an example, " + fixTemplateFile,
	"-92":  "a button label is longer than 25 characters: shorten it " + fixTemplateFile,
	"-99":  "the channelType is wrong: " + fixFormHerald,
	"-100": "the header has no format: " + fixFormHerald,
	"-101": "a value's format is wrong (such as the header's format): " + fixFormHerald,
	"-102": "authentication templates take only a copy-code (OTP) button: " + fixInConsole,
	"-103": "the body text is empty: a marketing or utility template needs body: text " + fixTemplateFile,
	"-104": "the authentication template's security recommendation is wrong: " + fixInConsole,
	"-105": "the footer is longer than 60 characters: shorten footer: " + fixTemplateFile,
	"-106": "the code expiration must be 90 minutes or less: " + fixInConsole,
	"-108": "the one-time-code button has no otp_type: " + fixInConsole,
	"-109": "an authentication template needs its one-time-code button: " + fixInConsole,
}
