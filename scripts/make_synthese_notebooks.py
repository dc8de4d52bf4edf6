"""One-off writer of the Synthèse notebooks (kept for review; edit the notebooks cell by cell afterwards)."""
import re
import nbformat as nbf

def fr(text):
    text = re.sub(r" ([;:!?])(?=\s|$)", "\u202f\\1", text)
    text = text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    return text

def md(text):
    return nbf.v4.new_markdown_cell(fr(text.strip("\n")))

def code(text, tags=None):
    c = nbf.v4.new_code_cell(text.strip("\n"))
    if tags:
        c.metadata["tags"] = tags
    return c

SETUP = """
from IPython.display import Markdown, display

from compendium.cases import synthesis as S
from compendium.prose import glue_value, show_table

syn = S.load()
numbers = S.key_numbers(syn)
for name, text in numbers.items():
    glue_value(name, text)
glue_value("syn_status_sentence", S.status_sentence(syn))
"""

def notebook(cells):
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = cells
    return nb

discussion = [
md("""
(synthese-discussion)=
# Discussion : la configuration observée autour de deux jumeaux numériques

Cette partie revient à la question de l'étude : peut-on identifier, autour des jumeaux numériques territoriaux, un écosystème d'innovation d'une nature nouvelle, et comment s'organise-t-il ? Elle le fait **dans la limite du matériau réuni à ce jour**, c'est-à-dire des sources publiques des deux cas et de leur codage documentaire préliminaire ; les entretiens, dont le protocole est prêt (voir {ref}`cadre-synthese` et les chapitres de méthode), n'ont pas encore eu lieu. Chaque jugement de cette partie est écrit dans un tableau de données (`data/synthesis/`) avec les identifiants des sources, événements, relations ou indicateurs qui le fondent ; à chaque construction du livre, le paquet vérifie que chacun de ces identifiants existe et recalcule les décomptes cités ici. Une cellule qu'aucun élément ne fonde est marquée *à établir par les entretiens*.
"""),
code(SETUP),
code("""
# Résultat clé, vérifié par nbval : cellules fondées / à établir, et statut de chaque proposition.
print(numbers["syn_n_backed"], numbers["syn_n_open"], dict(zip(syn.status["id"], syn.status["status"])))
""", tags=["nbval-check-output", "remove-cell"]),
md("""
## Le matériau de la synthèse

La synthèse s'appuie sur {glue:text}`syn_n_sources_rennes` sources publiques pour Rennes et {glue:text}`syn_n_sources_territoire` pour la plateforme Territoire, sur la chronologie, le réseau d'acteurs et les indicateurs qui en sont tirés, et sur les {glue:text}`syn_n_agreed` couples (source, code) sur lesquels les deux codages documentaires s'accordent (voir {ref}`analyse-croisee`). À la date de cette construction, le livre compte {glue:text}`syn_interviews`. Les tableaux de la synthèse citent au total {glue:text}`syn_n_cited` éléments distincts : {glue:text}`syn_n_cited_sources` sources, {glue:text}`syn_n_cited_events` événements, {glue:text}`syn_n_cited_relations` relations et {glue:text}`syn_n_cited_indicators` indicateurs.

Ce matériau appelle une précaution de lecture que la suite ne cesse de rappeler : il dit ce que les porteurs de projets et la presse ont rendu public, non ce que les acteurs font ou pensent. La démarche reste celle de la construction de théorie à partir de cas {cite:p}`Eisenhardt1989Building,Eisenhardt2007Theory` : les propositions du cadre sont confrontées à un premier matériau, qui permet d'en écarter certaines formulations, d'en préciser d'autres et surtout de dire ce que les entretiens doivent établir. Les conclusions sont donc des conclusions d'étape ; la réplication entre deux cas contrastés {cite:p}`Yin2018Case` sert ici moins à généraliser qu'à repérer ce qui tient à l'un des cas seulement.
"""),
md("""
## Les formes classiques auxquelles comparer les cas

La littérature réunie dans la première partie décrit plusieurs formes d'organisation collective de l'innovation. Aucune n'a été pensée pour les jumeaux numériques territoriaux, et chacune met l'accent sur un mécanisme de coordination différent.

L'**écosystème d'affaires** désigne une communauté d'entreprises qui coévoluent autour d'une firme clé de voûte {cite:p}`Moore1993Predators,Iansiti2004Strategy` ; la santé de l'ensemble dépend de la manière dont cette firme partage la valeur. L'**écosystème d'innovation** met l'accent sur l'alignement de partenaires dont les contributions complémentaires doivent être réunies pour qu'une proposition de valeur se réalise, et sur les risques d'interdépendance et d'adoption qui en découlent {cite:p}`Adner2006Match,Adner2017Ecosystem` ; {cite:t}`Granstrand2020Innovation` y incluent les artefacts et les institutions. L'**écosystème de plateforme** est organisé autour du cœur technique d'un propriétaire, qui fixe l'architecture et les règles d'accès des complémenteurs {cite:p}`Gawer2014Industry,Tiwana2010Platform,Parker2016Platform`. L'**écosystème de données ouvertes** relie producteurs, intermédiaires et réutilisateurs de données {cite:p}`Heimstadt2014From,Zuiderwijk2014Innovation` ; les espaces de données y ajoutent une gouvernance commune, souvent portée par une alliance {cite:p}`Otto2019Designing`. Le **système régional d'innovation** décrit l'ensemble des institutions, organisations et financements qui soutiennent l'innovation sur un territoire, au-delà d'un secteur {cite:p}`Cooke1998Regional,Cooke2004Regions,Asheim2011Regional`. La **filière**, enfin, catégorie familière des politiques industrielles françaises, organise une chaîne d'activités autour d'un produit ; le corpus de ce livre ne contient pas encore de référence qui la définisse, et la synthèse la mentionne pour mémoire.

Ces formes se distinguent d'abord par l'acteur focal qu'elles supposent (une firme, un propriétaire de plateforme, un ensemble d'institutions ou aucun), ensuite par le mécanisme qui fait tenir l'ensemble (la valeur partagée, l'alignement, l'architecture, la publication des données, la proximité institutionnelle). C'est sur ces différences que porte la comparaison : {cite:t}`Autio2022Researching` invitent précisément à ne pas employer le mot d'écosystème sans préciser le type dont on parle.
"""),
code("""
forms = syn.forms.assign(references=syn.forms["references"].map(
    lambda keys: "{cite:p}`" + ",".join(keys) + "`" if isinstance(keys, list) and keys else "aucune dans le corpus"))
show_table(forms[["label", "definition", "references"]].rename(
    columns={"label": "Forme", "definition": "Ce qui la caractérise", "references": "Références"}))
"""),
md("""
## Le tableau de configuration

Le tableau suivant confronte les deux cas à ces formes, dimension par dimension. Les lignes reprennent les dimensions du cadre d'analyse en les regroupant comme l'exige la comparaison : l'acteur focal et l'orchestration ; les rôles et les complémenteurs ; la création et la captation de la valeur ; la gouvernance et le tiers de confiance ; les régimes de données ; la technologie et le verrouillage ; l'ancrage territorial et le financement public. Chaque cellule donne le jugement de la synthèse, la forme classique dont le cas se rapproche le plus sur cette dimension (ou l'absence de forme proche), les identifiants des éléments qui fondent le jugement, et le nombre de sources du cas que le codage documentaire rattache à la dimension. Sur {glue:text}`syn_n_cells` cellules, {glue:text}`syn_n_backed` sont fondées sur des éléments identifiés ; {glue:text}`syn_cells_open` restent *à établir par les entretiens*.
"""),
code("""
display(Markdown(S.list_table(S.configuration_table(syn), [16, 42, 42])))
"""),
code("""
codes = syn.evidence  # (source, code) pairs on which both documentary codings agree
n_lockin = codes.loc[codes["code_id"] == "tech_verrouillage", "document_id"].nunique()
only = lambda n: "dans aucune source" if n == 0 else "que dans " + S.count(n, "source")
glue_value("syn_lockin", only(n_lockin))
n_network = codes.loc[codes["code_id"] == "coop_effets_reseau", "document_id"].nunique()
glue_value("syn_network_effects", only(n_network))
"""),
md("""
### Lecture dimension par dimension

**Acteur focal et orchestration.** À Rennes, c'est la collectivité qui porte les dispositifs successifs : les appels à l'innovation autour de la maquette 3D (rennes-e022), le service public métropolitain de la donnée, dont elle se présente comme le tiers de confiance (rennes-e025, rennes-034), puis RUDI, pour lequel elle obtient le financement européen et se décrit comme catalyseur (rennes-e027, rennes-055). L'éditeur de la plateforme 3D apparaît dans les relations documentées comme partenaire de la métropole (rennes-r009), non comme l'acteur qui fixe les règles. La figure de la firme clé de voûte {cite:p}`Iansiti2004Keystone` ne se retrouve donc pas dans le relevé public ; la forme la plus proche est celle de l'écosystème de plateforme, à ceci près que le propriétaire de la plateforme de données est une collectivité. Pour Territoire, l'institut héberge la plateforme et ses graphes de connaissances (territoire-r005), mais aucune source lue ne dit qui fixe les règles d'accès ni comment.

**Rôles et complémenteurs.** Le réseau rennais réunit des acteurs de secteurs différents : un opérateur de transport qui fournit des données (rennes-r014), des gestionnaires de réseaux d'énergie partenaires du service public de la donnée (rennes-r019, rennes-r020), un laboratoire de recherche (rennes-r023), une PME financée par l'appel RUDI (rennes-r029) et un collectif citoyen, associé un temps à la gouvernance de l'ouverture (rennes-r017). Ce caractère trans-sectoriel est celui que les systèmes régionaux d'innovation décrivent {cite:p}`Cooke2004Regions`, et que {cite:t}`OtiSarpong2022Social` observent autour des jumeaux urbains. Pour Territoire, tous les acteurs documentés relèvent de l'enseignement et de la recherche (territoire-r002, territoire-r006, territoire-r007).

**Création et captation de la valeur.** Les sources décrivent des démonstrateurs, des appels à projets et des lauréats (rennes-e031, rennes-i014), c'est-à-dire une création de valeur financée sur fonds publics. La captation n'est abordée que de biais : le coût de mise à jour de la maquette pose la question de sa répartition entre la ville et la métropole (rennes-040), et l'après-financement de RUDI est présenté comme un défi (rennes-057). Le paradoxe d'une création distribuée et d'une captation centralisée {cite:p}`Gawer2022Digital` ne peut pas être examiné avec ce matériau.

**Gouvernance et tiers de confiance.** C'est la dimension où le cas rennais se distingue le plus nettement : la collectivité se présente comme garante d'une gouvernance des données d'intérêt territorial (rennes-034), ce qui correspond à la figure de l'intermédiaire public que discutent {cite:t}`Janssen2022Data`. Mais la gouvernance est aussi contestée : le collectif citoyen se dissout en dénonçant un manque de transparence (rennes-e018), et la gouvernance inclusive reste un défi déclaré du projet européen (rennes-057). Pour Territoire, aucune règle, instance ou garant n'est documenté.

**Régimes de données.** À Rennes, le relevé montre une trajectoire qui va de l'ouverture (rennes-e007) au partage de données d'intérêt territorial puis de données restreintes, avec un constat répété : peu de données ont été effectivement partagées (rennes-e030, rennes-048), et peu de producteurs opèrent leur propre nœud de la plateforme (rennes-i042). Pour Territoire, les données de bâtiment sont publiées en données liées et reliées par des projets étudiants à des mesures de capteurs et à des relevés météorologiques (territoire-e002, territoire-e003), sans que leur statut juridique soit décrit.

**Technologie et verrouillage.** La maquette 3D rennaise passe d'une PME locale à la plateforme d'un grand éditeur, qui rachète la PME (rennes-e015) ; le portail de données repose d'abord sur la solution d'un éditeur spécialisé (rennes-e021), puis le projet RUDI choisit un catalogue libre et publie son code sous licence libre (rennes-e029, rennes-075). Le risque de verrouillage, central dans la critique de la ville intelligente {cite:p}`Kitchin2014Real`, n'apparaît pourtant {glue:text}`syn_lockin` du codage commun. Pour Territoire, l'architecture repose sur des standards ouverts du Web sémantique, dont l'ontologie BOT de description des bâtiments {cite:p}`Rasmussen2020BOT` (territoire-001, territoire-002).

**Ancrage territorial et financement public.** Le jumeau et les plateformes de données rennais sont financés successivement par la Région, l'État et l'Union européenne (rennes-r003, rennes-r018, rennes-r024, rennes-r038), et la métropole s'inscrit dans des réseaux de villes (rennes-e016, rennes-r032). Pour Territoire, le seul financeur documenté est l'Agence nationale de la recherche (territoire-r008) ; une initiative stéphanoise de ville intelligente existe, mais aucune source lue ne la relie à la plateforme (territoire-e001).
"""),
md("""
Le décompte des formes les plus proches, dimension par dimension, résume le tableau :
"""),
code("""
counts = S.form_counts(syn).reset_index().rename(columns={"index": "Forme la plus proche"})
show_table(counts, align={"Rennes": "right", "Territoire": "right"})
"""),
md("""
**Lecture d'ensemble.** Aucune forme classique ne rend compte à elle seule de l'un ou l'autre cas. À Rennes, la forme la plus proche change avec la dimension : l'orchestration et la technologie rappellent l'écosystème de plateforme ({glue:text}`syn_form_ecosysteme_plateforme_rennes` dimensions), la gouvernance et les régimes de données l'écosystème de données ({glue:text}`syn_form_ecosysteme_donnees_rennes`), les rôles et l'ancrage territorial le système régional d'innovation ({glue:text}`syn_form_sri_rennes`). L'écosystème d'affaires, avec sa firme clé de voûte, n'est la forme la plus proche sur aucune dimension ({glue:text}`syn_form_ecosysteme_affaires_rennes`). Cette hybridation est en elle-même un résultat : elle correspond à ce que la proposition P8 appelle une configuration spécifique, sans encore la démontrer, car elle pourrait aussi résulter de la juxtaposition de projets distincts (la maquette 3D, le portail de données, le service public de la donnée, RUDI) que seule la documentation publique rassemble.

Pour Territoire, la plateforme de l'Institut Henri Fayol ne ressemble à une forme classique que sur les dimensions techniques : architecture ouverte fondée sur les standards du Web sémantique, données de bâtiment publiées en données liées. Sur les rôles, la valeur, la gouvernance et l'ancrage territorial, soit les traces publiques ne la rapprochent d'aucune forme, soit elles sont muettes. Le cas documenté est celui d'une infrastructure de recherche et d'enseignement, dont les complémenteurs visibles sont des étudiants et des chercheurs ; s'il existe un écosystème plus large, il n'est pas écrit. L'écart entre les deux cas tient donc autant à la **visibilité** des deux configurations qu'à leur organisation, limite sur laquelle revient la conclusion.
"""),
md("""
## Une nature nouvelle ? Réponse provisoire

**La réponse d'étape est la suivante : le cas rennais présente une configuration qu'aucune forme classique ne décrit entièrement, mais le matériau public ne permet pas encore d'affirmer qu'il s'agit d'un écosystème d'une nature nouvelle plutôt que d'une superposition de formes connues ; le cas Territoire ne permet pas, à ce stade, de parler d'écosystème au-delà du cercle académique.** Trois traits vont dans le sens d'une configuration spécifique à Rennes : l'orchestration est tenue par la collectivité, qui porte les dispositifs, lance les appels et se présente comme tiers de confiance ; les rôles traversent les secteurs (éditeur de logiciel, opérateurs de réseaux, recherche, PME, collectif citoyen) ; les données sont l'objet même de la coordination, au point qu'un service public leur est consacré. Le quatrième trait de la proposition P8, la co-évolution de l'artefact et de la gouvernance territoriale {cite:p}`Wan2019Developing`, est suggéré par la succession des dispositifs mais n'est établi par aucune source.

Pour que cette réponse devienne une conclusion, il faut écarter trois explications rivales, chacune plausible au vu du même matériau.

**Première rivale : un portefeuille de projets publics.** Ce que la documentation présente comme un écosystème pourrait n'être qu'une suite de projets financés par appels (la Région, puis l'État, puis l'Union européenne, enfin le programme France 2030 : rennes-r003, rennes-r018, rennes-r024, rennes-e036), chacun avec ses partenaires, son budget et sa fin. Le tableau de configuration va dans ce sens sur la dimension de la valeur : les sources décrivent des financements de projets et des démonstrateurs, pas des flux de valeur durables entre partenaires, et le journal final de RUDI fait de l'après-financement un défi. Cette rivale l'emporterait si les entretiens montraient que les partenaires ne se coordonnent qu'à l'intérieur de chaque projet, qu'ils changent d'un projet à l'autre sans mémoire commune, et que rien ne subsiste entre deux financements. Elle serait écartée si des règles, des données ou des relations survivaient aux projets et les reliaient.

**Deuxième rivale : la plateforme d'un éditeur.** À Rennes, la maquette 3D a été développée par une PME locale puis intégrée, par rachat, à la plateforme d'un grand éditeur, qui présente sur son blog l'usage rennais de son modèle 3D. Les travaux sur la fabrique des jumeaux urbains montrent que l'offre commerciale d'un éditeur se négocie avec les collectivités et structure la gouvernance urbaine. L'écosystème visible serait alors l'écosystème de plateforme de l'éditeur, dont la collectivité ne serait qu'un client exigeant. Le réseau documenté ne place pas l'éditeur au centre (voir {ref}`analyse-croisee`), et le choix ultérieur d'un catalogue libre pour RUDI va dans l'autre sens ; mais la centralité mesurée sur des sources produites surtout par la collectivité ne vaut pas preuve. La rivale l'emporterait si les entretiens montraient que l'éditeur fixe de fait les usages, les formats et le calendrier du jumeau 3D, et que les partenaires passent par lui pour contribuer.

**Troisième rivale : un programme ordinaire d'ouverture des données.** Rennes est une pionnière française de l'open data (ouverture des données et concours d'applications, participation à la fondation d'OpenDataFrance : rennes-e007, rennes-e016), et beaucoup de traits de la configuration pourraient s'expliquer par la trajectoire d'une politique d'ouverture, telle que la décrivent {cite:t}`Janssen2012Benefits`, {cite:t}`Heimstadt2014From` ou {cite:t}`Courmont2016Politiques`, sans que le jumeau numérique y ajoute rien. Le passage de l'ouverture au partage de données restreintes, sous l'égide d'un tiers de confiance public, est ce qui distinguerait la configuration rennaise d'un programme ordinaire ; or le bilan du service public de la donnée constate que peu de données ont été effectivement partagées, et le journal final de RUDI que l'usage de données privées à accès restreint a été peu testé. Cette rivale reste donc ouverte. Elle serait écartée si les entretiens montraient des échanges effectifs de données non ouvertes, sous des règles définies collectivement, au service d'usages du jumeau.

Pour Territoire, la question se pose autrement : la plateforme ne relève à ce stade d'aucune de ces rivales, faute de projets territoriaux, d'éditeur ou de politique d'ouverture documentés. La question préalable est de savoir si un écosystème existe au-delà de l'établissement, ce que seuls les entretiens avec ses responsables et ses utilisateurs peuvent dire.
"""),
md("""
## Les propositions, une à une

Le statut de chaque proposition résume ce que le matériau public permet d'en dire : {glue:text}`syn_status_sentence`. La figure suivante situe les {glue:text}`syn_n_props` propositions par rapport aux {glue:text}`syn_n_dimensions` dimensions du tableau de configuration, la couleur donnant leur statut. Pour chaque proposition viennent ensuite son énoncé, son statut et ce qui le justifie, les éléments qui vont dans son sens et ceux qui la nuancent, les indicateurs observables, l'explication rivale, ce qui la réfuterait et ce que les entretiens doivent apporter. Les énoncés sont ceux du chapitre {ref}`cadre-synthese`, tenus dans `data/literature/propositions.csv`.
"""),
code("""
from compendium.figures import show

show(S.framework_figure(syn), "synthese-cadre-propositions",
     tables=["propositions", "synthesis_propositions", "synthesis_dimensions"])
"""),
code("""
status = syn.status.set_index("id")
for prop in syn.propositions.itertuples():
    st = status.loc[prop.id]
    ids = lambda items: ", ".join(items) if items else "aucun élément identifié"
    display(Markdown(
        f"### {prop.id} — {prop.title}\\n\\n"
        f"*{prop.statement}*\\n\\n"
        f"- **Statut :** {S.STATUS_LABELS[st['status']]}.\\n"
        f"- **Pourquoi ce statut :** {st['rationale']}\\n"
        f"- **Éléments en sa faveur :** {ids(st['evidence_for'])}.\\n"
        f"- **Éléments qui la nuancent :** {ids(st['evidence_against'])}.\\n"
        f"- **Indicateurs observables :** {prop.indicators}.\\n"
        f"- **Explication rivale :** {prop.rival}.\\n"
        f"- **Réfutée si :** {prop.refutation}.\\n"
        f"- **Ce que les entretiens doivent apporter :** {st['interview_needs']}\\n"))
"""),
md("""
## Ce que disent les propositions prises ensemble

Lues ensemble, les propositions dessinent un contraste net entre deux groupes. Celles qui portent sur **qui coordonne et comment** (P1 sur l'orchestration, P3 sur le tiers de confiance, P4 sur le travail d'intermédiation des données) trouvent dans le matériau public des indices convergents, surtout à Rennes : la collectivité y porte les dispositifs, s'y présente comme garante du partage et constate elle-même que publier ne suffit pas. Ces propositions rejoignent les travaux qui font de la collectivité un gardien des données urbaines {cite:p}`Barns2020City` et de l'intermédiation une fonction à part entière {cite:p}`Janssen2022Data,Micheli2020Emerging`. Celles qui portent sur **l'économie de l'écosystème** (P2 sur les compléments et les effets de réseau, P6 sur les modèles d'affaires) restent presque entièrement à instruire : les sources décrivent des financements, pas des échanges de valeur, et les effets de réseau indirects, qui sont au cœur des théories des plateformes {cite:p}`Rochet2003Platform,McIntyre2017Networks`, n'apparaissent {glue:text}`syn_network_effects` du codage commun.

Ce déséquilibre tient pour une part à la nature des sources : une collectivité publie volontiers ses dispositifs de gouvernance, rarement la répartition de la valeur entre ses partenaires ; un éditeur publie ses réussites, rarement les conditions de ses contrats. Il tient peut-être aussi aux cas : si les jumeaux territoriaux sont d'abord des dispositifs publics financés par projets, la question du modèle d'affaires s'y pose moins que dans les écosystèmes marchands, ce qui serait déjà un trait distinctif. Les entretiens devront trancher entre ces deux lectures, en interrogeant précisément les partenaires privés sur ce qu'ils retirent de leur participation.

Enfin, la proposition P7 sur l'ancrage territorial est celle où le contraste entre les cas est le plus fort, et P8 celle qui dépend de toutes les autres. Leur examen demande un matériau que les sources publiques ne donnent pas : la manière dont les acteurs eux-mêmes délimitent l'écosystème et y situent leur action.
"""),
]

conclusion = [
md("""
(synthese-conclusion)=
# Conclusion : contributions, implications, limites et agenda

Ce chapitre tire les conséquences de la discussion. Il le fait avec la même prudence : à ce stade, l'étude repose sur {glue:text}`syn_n_sources_rennes` sources publiques pour Rennes et {glue:text}`syn_n_sources_territoire` pour Territoire, et le livre compte {glue:text}`syn_interviews`. Les contributions sont donc d'abord celles d'un cadre et d'une méthode, éprouvés sur un premier matériau ; les implications sont des pistes, à confirmer.
"""),
code(SETUP),
md("""
## Contributions

**Un cadre qui relie les théories des écosystèmes aux travaux sur les territoires.** Les théories des écosystèmes et des plateformes ont été construites sur des marchés où une firme orchestre {cite:p}`Moore1993Predators,Gawer2014Industry,Jacobides2018Towards` ; les travaux sur les villes intelligentes et les systèmes régionaux d'innovation décrivent des territoires où la puissance publique et les institutions comptent autant que les firmes {cite:p}`Cooke1998Regional,Neirotti2014Current,Meijer2016Governing`. Le cadre d'analyse de l'étude réunit ces deux littératures en {glue:text}`syn_n_dimensions` dimensions et {glue:text}`syn_n_props` propositions, et le tableau de configuration montre qu'il permet de situer un cas réel par rapport à {glue:text}`syn_n_forms` formes classiques, dimension par dimension, plutôt que de lui attribuer une étiquette globale. Le premier résultat, l'hybridation des formes à Rennes, n'aurait pas été visible avec une seule de ces grilles. Il répond à l'invitation de {cite:t}`Autio2022Researching` à distinguer les types d'écosystèmes, en montrant qu'un même cas peut relever de types différents selon la dimension considérée.

**Une place pour la collectivité orchestratrice et le tiers de confiance public.** Les indices rennais, s'ils sont confirmés, prolongent les travaux sur les intermédiaires de données {cite:p}`Janssen2022Data,Schweihoff2024Stuck` et sur les espaces de données {cite:p}`Otto2019Designing` dans une direction que ces travaux abordent peu : le cas d'un intermédiaire public, territorial, qui se donne à la fois le rôle d'orchestrateur de l'écosystème et celui de garant du partage. La littérature française sur la gouvernance des données territoriales {cite:p}`Courmont2016Politiques,Kbairi2021Gouvernance` fournit les éléments pour en discuter la légitimité.

**Le jumeau comme artefact médiateur plutôt que comme objet technique.** À Rennes comme pour Territoire, le travail de mise en forme des données (formats, maquettes, ontologies) apparaît comme une activité à part entière, ce qui rejoint l'idée du jumeau comme médiateur {cite:p}`Gil2026Redefining` et comme construit socio-technique {cite:p}`Wan2019Developing,OtiSarpong2022Social`. L'étude propose d'en faire un objet d'observation, avec des indicateurs (temps, postes, réutilisations effectives) plutôt qu'une hypothèse générale.

**Une méthode reproductible et vérifiable.** Enfin, la forme même du compendium est une contribution méthodologique : chaque jugement de cette synthèse est écrit dans une table, rattaché à des identifiants vérifiés à chaque construction, et le livre, le document de synthèse et la présentation sont produits à partir des mêmes données. Cette traçabilité répond aux exigences de transparence des études de cas qualitatives {cite:p}`Yin2018Case,Miles2014Qualitative` et permet à un lecteur de remonter de chaque affirmation à sa source.

## Implications

**Pour les collectivités.** Le cas rennais suggère trois leçons, à confirmer. D'abord, l'ouverture des données ne suffit pas à faire naître des usages : le bilan du service public de la donnée et les chiffres de participation des communes montrent l'écart entre les dispositifs créés et les données effectivement partagées. Une collectivité qui veut un jumeau au service du territoire doit prévoir le travail de mise en forme et de médiation, et les moyens humains qui vont avec, plutôt que compter sur la seule publication. Ensuite, la succession de financements par projets (régionaux, nationaux, européens) permet d'amorcer des dispositifs, mais pose la question de leur pérennité : l'après-financement est un défi que les porteurs de RUDI nomment eux-mêmes. Enfin, le choix des briques techniques engage la gouvernance : le passage d'une maquette développée localement à la plateforme d'un grand éditeur, puis le choix d'un catalogue libre pour le partage de données, sont des décisions dont les conséquences sur la maîtrise du jumeau devraient être explicitées au moment où elles sont prises {cite:p}`Kitchin2014Real`.

**Pour les responsables de la plateforme Territoire à l'Institut Henri Fayol.** Les traces publiques de la plateforme la décrivent comme une infrastructure technique solide, fondée sur des standards ouverts, réutilisée par des projets d'enseignement et de recherche. Trois questions se posent si l'institut souhaite qu'elle devienne le cœur d'un écosystème. La première est celle de son **statut** : plateforme de recherche, outil pédagogique ou service offert à des partenaires extérieurs, chaque statut appelle des engagements différents (niveau de service, pérennité des données, responsabilité). La deuxième est celle des **partenaires** : aucune source lue ne relie la plateforme aux collectivités ou aux entreprises du territoire stéphanois ; l'ouverture à ces acteurs supposerait des règles de contribution et d'accès écrites, que les ressources frontières de la littérature sur les plateformes aident à concevoir {cite:p}`Ghazawneh2013Balancing,Boudreau2010Open`. La troisième est celle de la **sécurité des accès** : une plateforme de données de bâtiment ouverte à des tiers doit distinguer ce qui peut être public, ce qui doit être restreint et ce qui touche à des personnes, et protéger ses interfaces en conséquence {cite:p}`Kim2023Cybersecurity`. Ces recommandations restent générales : elles ne se fondent sur aucune information interne et devront être discutées avec les responsables de la plateforme.

**Pour les éditeurs et les intégrateurs.** Le matériau public montre un éditeur de plateforme 3D qui a intégré une PME locale et présente publiquement l'usage rennais de son modèle, et des intégrateurs de logiciels libres qui proposent le partage de données comme alternative. Si les propositions P1 et P5 se confirment, la position d'un fournisseur dans un écosystème de jumeau territorial dépend moins de la possession de la plateforme que de sa capacité à s'insérer dans une gouvernance publique qui fixe les règles, ce que les travaux sur la fabrique des jumeaux urbains laissent entrevoir. L'interopérabilité ouverte devient alors une condition d'accès au marché plutôt qu'une concession.

## Limites

**Des sources produites par les porteurs de projets.** Une grande part des sources des deux cas émane des acteurs eux-mêmes : collectivité, éditeur, établissement, journaux de projets européens rédigés par leurs experts. Elles montrent ce que ces acteurs choisissent de montrer ; la centralité de la collectivité dans le réseau rennais et le silence sur la gouvernance de Territoire en sont sans doute en partie des effets. La presse, qui reprend souvent les communiqués, ne corrige qu'en partie ce biais.

**Un codage documentaire préliminaire.** Le codage des sources a été réalisé par deux assistants logiciels, sur nos résumés des sources et non sur leur texte intégral. L'accord entre ces deux codages mesure la clarté des définitions de la grille, pas la fiabilité de l'analyse (voir {ref}`analyse-croisee`). Les décomptes de sources codées qui accompagnent chaque cellule du tableau de configuration sont donc des indications de présence, à valider par l'équipe de recherche.

**Deux cas inégaux.** Le cas rennais est ancien, public et abondamment documenté ({glue:text}`syn_n_sources_rennes` sources) ; la plateforme Territoire est un outil récent d'établissement, documenté surtout par du code et par quelques pages institutionnelles ({glue:text}`syn_n_sources_territoire` sources). Sur {glue:text}`syn_n_dimensions` dimensions, {glue:text}`syn_n_backed_rennes` cellules du cas rennais sont fondées sur des éléments identifiés, contre {glue:text}`syn_n_backed_territoire` pour Territoire. La comparaison porte donc autant sur la visibilité des deux configurations que sur leur organisation, et les contrastes entre les cas doivent être lus comme des hypothèses sur ce que les entretiens trouveront.

**Un matériau sans la voix des acteurs.** Enfin, aucune des propositions ne peut être confirmée sans entretiens : les intentions des acteurs, les négociations, les conflits et les arrangements informels n'apparaissent pas dans les sources publiques. La synthèse l'indique cellule par cellule et proposition par proposition.

## Agenda de recherche : le programme d'entretiens

Le programme d'entretiens découle directement des cellules à établir et des besoins listés pour chaque proposition. Il vise, dans chaque cas, chacune des catégories d'acteurs du plan d'échantillonnage (collectivité, fournisseurs de technologie, détenteurs de données, recherche, usagers), avec un guide commun organisé selon les sept dimensions du cadre. Trois priorités s'en dégagent :

1. **Qui décide et qui finance** (P1, P6) : entretiens avec les responsables de la collectivité et des plateformes, et avec les partenaires privés sur ce qu'ils retirent de leur participation ;
2. **Comment circulent les données** (P3, P4, P5) : entretiens avec les producteurs de données, publics et privés, sur les conditions qu'ils posent au partage et sur le travail de mise en forme ;
3. **Où s'arrête l'écosystème** (P2, P7, P8) : pour Territoire d'abord, entretiens avec les responsables et les utilisateurs de la plateforme sur ses liens avec le territoire stéphanois ; pour Rennes, sur la continuité entre les projets successifs.

Les entretiens seront pseudonymisés et codés avec la même grille que les sources, ce qui permettra de reprendre le tableau de configuration et le statut des propositions avec les mêmes règles : une cellule passe de *à établir* à un jugement dès qu'un élément identifié la fonde, et le livre, le document de synthèse et la présentation se mettent à jour à la construction suivante.

## En conclusion

À la question « existe-t-il autour des jumeaux numériques territoriaux un écosystème d'innovation d'une nature nouvelle ? », l'étude répond à ce stade : **une configuration hybride, orchestrée par la collectivité et centrée sur les données, est visible à Rennes, et aucune forme classique ne la décrit entièrement ; sa nouveauté reste à démontrer contre trois explications rivales, et le cas Territoire ne montre pas encore d'écosystème au-delà du cercle académique.** Les entretiens diront si cette configuration tient à la nature des jumeaux territoriaux ou à la trajectoire d'un territoire pionnier.
"""),
]

nbf.write(notebook(discussion), "chapters/synthese/discussion.ipynb")
nbf.write(notebook(conclusion), "chapters/synthese/conclusion.ipynb")
