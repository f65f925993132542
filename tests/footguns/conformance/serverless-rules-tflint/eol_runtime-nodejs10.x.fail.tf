resource "aws_lambda_function" "this" {
  runtime = "nodejs10.x"
}
